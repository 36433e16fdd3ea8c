package com.relaycrm.platform.ratelimit;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.relaycrm.platform.web.ProblemMapper;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    RateLimitFilter rateLimitFilter(RateLimiter limiter, ProblemMapper problems) {
        return new RateLimitFilter(limiter, problems);
    }

    /** Keeps the security chain the only place this filter runs (it needs the authenticated token). */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<RateLimitFilter> rateLimitFilterNotStandalone(
            RateLimitFilter filter) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    RecurringTask<Void> expiredRateBucketCleanup(RateLimiter limiter) {
        return Tasks.recurring("platform-rate-bucket-cleanup", FixedDelay.of(Duration.ofMinutes(10)))
                .execute((instance, context) -> limiter.removeExpired());
    }
}
