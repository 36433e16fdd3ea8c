package com.relaycrm.gistwatch.watching;

import com.relaycrm.integrations.GitHubGistClient;
import com.relaycrm.platform.ApiProblem;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Service;

/** Watch-list use cases: seeding from the environment, runtime changes, and keeping the schedules in step. */
@Service
public class WatchList implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(WatchList.class);

    private final WatchedUsers users;
    private final ScanScheduling scheduling;
    private final PipetestProperties pipetest;
    private final GitHubGistClient github;

    WatchList(WatchedUsers users, ScanScheduling scheduling, PipetestProperties pipetest, GitHubGistClient github) {
        this.users = users;
        this.scheduling = scheduling;
        this.pipetest = pipetest;
        this.github = github;
    }

    @Override
    public void run(ApplicationArguments args) {
        PipetestProperties.Logins logins = pipetest.logins();
        logins.invalid()
                .forEach(login ->
                        log.warn("PIPETEST_QUERIED_USERS: skipping '{}', which is not a valid GitHub login", login));
        users.seedFromEnvironment(logins.valid());
        List<String> watched = users.watchedLogins();
        scheduling.reconcile(watched);
        log.info("Watching {} GitHub user(s) every {} minute(s)", watched.size(), pipetest.intervalMinutes());
        warnIfOverRateLimit(watched.size());
    }

    public WatchedUser watch(String login) {
        if (!GitHubLogins.isValid(login)) {
            throw ApiProblem.invalid("login", GitHubLogins.RULE);
        }
        WatchedUser added = users.watch(login)
                .orElseThrow(() -> ApiProblem.conflict("GitHub user " + login + " is already watched")
                        .with(
                                "existing_id",
                                users.find(GitHubLogins.key(login))
                                        .map(WatchedUser::login)
                                        .orElse(login)));
        scheduling.ensureScheduled(added.login());
        warnIfOverRateLimit(users.watchedCount());
        return added;
    }

    public void unwatch(String login) {
        String key = GitHubLogins.key(login);
        if (!GitHubLogins.isValid(login) || !users.unwatch(key)) {
            throw ApiProblem.notFound("GitHub user " + login + " is not watched");
        }
        scheduling.cancel(key);
    }

    /** Warns when one request per user per interval already exceeds GitHub's hourly limit. */
    void warnIfOverRateLimit(int watchedCount) {
        long perHour = (long) Math.ceil(watchedCount * 60.0 / pipetest.intervalMinutes());
        int limit = github.hourlyLimit();
        if (perHour > limit) {
            log.warn(
                    "Watching {} users every {} minutes needs at least {} GitHub requests/hour, above GitHub's "
                            + "limit of {}/hour{}: scans will be rate limited",
                    watchedCount,
                    pipetest.intervalMinutes(),
                    perHour,
                    limit,
                    limit < 5000 ? " (set GITHUB_TOKEN for 5,000/hour)" : "");
        }
    }
}
