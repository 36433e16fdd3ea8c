package com.relaycrm.gistwatch.watching;

import com.relaycrm.integrations.GistListing;
import com.relaycrm.integrations.GitHubGistClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Scans one watched user's gists; every failure becomes that user's status, never an exception. */
@Service
public class Scanner {

    private static final Logger log = LoggerFactory.getLogger(Scanner.class);

    private final GitHubGistClient github;
    private final WatchedUsers users;
    private final GistStore store;
    private final GistwatchProperties properties;

    Scanner(GitHubGistClient github, WatchedUsers users, GistStore store, GistwatchProperties properties) {
        this.github = github;
        this.users = users;
        this.store = store;
        this.properties = properties;
    }

    /** Called by the user's recurring task; never throws, so nothing can end the schedule. */
    void scanScheduled(String login) {
        try {
            String key = GitHubLogins.key(login);
            if (users.find(key).map(WatchedUser::watched).orElse(false)) {
                scan(key, login);
            }
        } catch (RuntimeException e) {
            log.error("Scheduled gist scan of {} failed unexpectedly", login, e);
        }
    }

    public ScanOutcome scan(String loginKey, String login) {
        GistListing listing;
        try {
            listing = github.listGists(login, users.etag(loginKey));
        } catch (RuntimeException e) {
            listing = new GistListing.Failed("unexpected: " + e.getClass().getSimpleName());
            log.error("Gist listing of {} failed unexpectedly", login, e);
        }
        try {
            return record(loginKey, login, listing);
        } catch (RuntimeException e) {
            log.error("Recording the gist scan of {} failed", login, e);
            try {
                users.recordScan(loginKey, "error", "could not store the scan result", false);
            } catch (RuntimeException ignored) {
                // the database itself is failing; the next scheduled run tries again
            }
            return new ScanOutcome(login, "error", 0, "could not store the scan result");
        }
    }

    private ScanOutcome record(String loginKey, String login, GistListing listing) {
        return switch (listing) {
            case GistListing.Changed changed -> {
                String detail = changed.complete() ? null : "listing incomplete (page cap or interruption)";
                int fresh = store.recordListing(
                        loginKey, changed.gists(), changed.complete() ? changed.etag() : null, detail);
                if (fresh > 0) {
                    log.info("Found {} new gist(s) of {}", fresh, login);
                }
                yield new ScanOutcome(login, "ok", fresh, detail);
            }
            case GistListing.NotModified ignored -> {
                users.recordScan(loginKey, "ok", null, false);
                yield new ScanOutcome(login, "ok", 0, null);
            }
            case GistListing.UserNotFound ignored -> {
                log.warn("GitHub user {} does not exist", login);
                users.recordScan(loginKey, "not_found", "GitHub has no user " + login, true);
                yield new ScanOutcome(login, "not_found", 0, null);
            }
            case GistListing.RateLimited limited -> {
                String detail = "GitHub rate limit; next request after " + limited.until();
                users.recordScan(loginKey, "rate_limited", detail, false);
                yield new ScanOutcome(login, "rate_limited", 0, detail);
            }
            case GistListing.Failed failed -> {
                log.warn("Gist scan of {} failed: {}", login, failed.reason());
                users.recordScan(loginKey, "error", failed.reason(), false);
                yield new ScanOutcome(login, "error", 0, failed.reason());
            }
        };
    }

    /** Scans every watched user now, at most {@code scanConcurrency} at once. */
    public List<ScanOutcome> scanAll() {
        List<WatchedUser> watched = users.watched();
        Semaphore slots = new Semaphore(properties.scanConcurrency());
        List<Future<ScanOutcome>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WatchedUser user : watched) {
                slots.acquireUninterruptibly();
                futures.add(executor.submit(() -> {
                    try {
                        return scan(GitHubLogins.key(user.login()), user.login());
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<ScanOutcome> outcomes = new ArrayList<>();
        for (Future<ScanOutcome> future : futures) {
            outcomes.add(future.resultNow());
        }
        return outcomes;
    }
}
