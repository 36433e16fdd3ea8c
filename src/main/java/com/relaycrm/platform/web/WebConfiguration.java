package com.relaycrm.platform.web;

import com.relaycrm.platform.RelayProperties;
import com.relaycrm.platform.RequestAdmission;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.UrlHandlerFilter;

@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    @Bean
    FilterRegistrationBean<RequestLogFilter> requestLogFilter() {
        var registration = new FilterRegistrationBean<>(new RequestLogFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Outside everything that writes a response. 32 KB holds a default page of 100 leads. */
    @Bean
    FilterRegistrationBean<WholeResponseFilter> wholeResponseFilter(
            @Value("${relay.http.response-buffer:32KB}") DataSize responseBuffer) {
        var registration = new FilterRegistrationBean<>(new WholeResponseFilter(bufferBytes(responseBuffer)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /**
     * Tomcat writes a body to the socket in pieces of its write buffer (8 KB by default), so a whole response still
     * took a write per 8 KB. 16 KB holds a page of 50 leads; it is allocated per open connection (SSE streams too),
     * which is why it stays below the response buffer.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> socketWriteBuffer(
            @Value("${relay.http.socket-write-buffer:16KB}") DataSize writeBuffer) {
        String bytes = Integer.toString(bufferBytes(writeBuffer));
        return factory ->
                factory.addConnectorCustomizers(connector -> connector.setProperty("socket.appWriteBufSize", bytes));
    }

    /** Forwarded headers count only from {@code RELAY_TRUSTED_PROXIES} ({@link ProxyTrust}). */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> trustedProxies(RelayProperties relay) {
        String cidrs = ProxyTrust.cidrs(relay.trustedProxies());
        return factory -> {
            if (!cidrs.isEmpty()) {
                factory.addEngineValves(ProxyTrust.valve(cidrs));
            }
        };
    }

    private static int bufferBytes(DataSize size) {
        return (int) Math.clamp(size.toBytes(), 8 * 1024, 1024 * 1024);
    }

    /** Every path answers with or without a trailing slash, before security sees it. */
    @Bean
    FilterRegistrationBean<UrlHandlerFilter> trailingSlashFilter() {
        var registration = new FilterRegistrationBean<>(
                UrlHandlerFilter.trailingSlashHandler("/**").wrapRequest().build());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    /** Before every filter that might read a parameter (and so parse a multipart body). */
    @Bean
    FilterRegistrationBean<MultipartGateFilter> multipartGateFilter(ProblemMapper problems) {
        var registration = new FilterRegistrationBean<>(new MultipartGateFilter(problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return registration;
    }

    @Bean
    FilterRegistrationBean<LenientJsonContentTypeFilter> lenientJsonContentTypeFilter() {
        var registration = new FilterRegistrationBean<>(new LenientJsonContentTypeFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
        return registration;
    }

    @Bean
    FilterRegistrationBean<JsonBodyLimitFilter> jsonBodyLimitFilter(
            ProblemMapper problems, @Value("${relay.http.max-json-body:1MB}") DataSize maxJsonBody) {
        var registration = new FilterRegistrationBean<>(new JsonBodyLimitFilter(maxJsonBody.toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** After the JSON body has been read (above), before security and its token check. */
    @Bean
    FilterRegistrationBean<AdmissionFilter> admissionFilter(RequestAdmission admission, ProblemMapper problems) {
        var registration = new FilterRegistrationBean<>(new AdmissionFilter(admission, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 6);
        registration.setEnabled(admission.capacity() > 0);
        return registration;
    }
}
