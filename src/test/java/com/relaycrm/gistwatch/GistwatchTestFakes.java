package com.relaycrm.gistwatch;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;

/** Public doors to the package-private fakes, for tests in sub-packages. */
public final class GistwatchTestFakes {

    private GistwatchTestFakes() {}

    public static WireMockServer start() {
        return Fakes.start();
    }

    public static void stubGists(WireMockServer github, String login, List<String> ids, String etag) {
        Fakes.stubGists(github, login, ids, etag);
    }

    public static void stubPipedriveEmpty(WireMockServer pipedrive, long orgId) {
        Fakes.stubPipedriveEmpty(pipedrive, orgId);
    }

    public static AutoCloseableInstance startInstance(Environment environment, Map<String, String> overrides) {
        return new AutoCloseableInstance(Instances.start(environment, overrides));
    }

    public static final class AutoCloseableInstance implements AutoCloseable {
        private final Instances.Instance instance;

        AutoCloseableInstance(Instances.Instance instance) {
            this.instance = instance;
        }

        public com.relaycrm.testsupport.ApiClient api() {
            return instance.api();
        }

        @Override
        public void close() {
            instance.close();
        }
    }
}
