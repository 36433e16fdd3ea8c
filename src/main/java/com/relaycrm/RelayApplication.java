package com.relaycrm;

import com.relaycrm.platform.StartupPreflight;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RelayApplication {

    public static void main(String[] args) {
        StartupPreflight.checkOrExit(System.getenv(), args);
        SpringApplication.run(RelayApplication.class, args);
    }
}
