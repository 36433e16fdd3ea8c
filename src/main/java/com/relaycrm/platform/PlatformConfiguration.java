package com.relaycrm.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.module.SimpleModule;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Amounts come back as sent: 1000.50 stays 1000.50 when read through a JSON tree. */
    @Bean
    JsonMapperBuilderCustomizer exactDecimals() {
        return builder -> builder.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    }

    @Bean
    JsonMapperBuilderCustomizer utcTimestamps() {
        return builder -> builder.addModule(new SimpleModule("relay-utc-timestamps")
                .addSerializer(OffsetDateTime.class, new UtcTimestampSerializer()));
    }

    /**
     * Three permits per core, at least four: measured at 32 connections on 2 cores against two and four per core
     * (docs/PERFORMANCE.md, "Whole responses and the gate's size"). With two, the CPU was idle while every admitted
     * request waited on PostgreSQL; four gave the posts a longer tail. Zero means that default; a negative value
     * switches the gate off.
     */
    @Bean
    RequestAdmission requestAdmission(
            @Value("${relay.http.admission.permits:0}") int permits,
            @Value("${relay.http.admission.max-wait:PT3S}") Duration maxWait) {
        int effective = permits == 0 ? Math.max(4, 3 * Runtime.getRuntime().availableProcessors()) : permits;
        return new RequestAdmission(effective, maxWait);
    }

    /** How full the gate is: requests at work and requests queued for a permit. */
    @Bean
    MeterBinder requestAdmissionMetrics(RequestAdmission admission) {
        return registry -> {
            Gauge.builder("relay.http.admission.in.use", admission, RequestAdmission::inUse)
                    .description("requests holding an admission permit")
                    .register(registry);
            Gauge.builder("relay.http.admission.waiting", admission, RequestAdmission::waiting)
                    .description("requests queued for an admission permit")
                    .register(registry);
        };
    }
}
