package com.relaycrm.platform.web;

import com.relaycrm.platform.RequestAdmission;
import org.springframework.beans.factory.annotation.Value;
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

    /** Every path answers with or without a trailing slash, before security sees it. */
    @Bean
    FilterRegistrationBean<UrlHandlerFilter> trailingSlashFilter() {
        var registration = new FilterRegistrationBean<>(
                UrlHandlerFilter.trailingSlashHandler("/**").wrapRequest().build());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<LenientJsonContentTypeFilter> lenientJsonContentTypeFilter() {
        var registration = new FilterRegistrationBean<>(new LenientJsonContentTypeFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    @Bean
    FilterRegistrationBean<JsonBodyLimitFilter> jsonBodyLimitFilter(
            ProblemMapper problems, @Value("${relay.http.max-json-body:1MB}") DataSize maxJsonBody) {
        var registration = new FilterRegistrationBean<>(new JsonBodyLimitFilter(maxJsonBody.toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return registration;
    }

    /** After the JSON body has been read (above), before security and its token check. */
    @Bean
    FilterRegistrationBean<AdmissionFilter> admissionFilter(RequestAdmission admission, ProblemMapper problems) {
        var registration = new FilterRegistrationBean<>(new AdmissionFilter(admission, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
        registration.setEnabled(admission.capacity() > 0);
        return registration;
    }
}
