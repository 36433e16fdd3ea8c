package com.relaycrm.gistwatch.watching;

import com.relaycrm.gistwatch.GistWatchApi;
import com.relaycrm.gistwatch.deals.DealSync;
import com.relaycrm.platform.ApiProblem;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

@Service
class GistWatchFacade implements GistWatchApi {

    private final WatchList watchList;
    private final WatchedUsers users;
    private final DealSync dealSync;

    GistWatchFacade(WatchList watchList, WatchedUsers users, DealSync dealSync) {
        this.watchList = watchList;
        this.users = users;
        this.dealSync = dealSync;
    }

    @Override
    public List<GistWatchApi.WatchedAccount> watchedUsers() {
        return users.watched().stream().map(GistWatchFacade::view).toList();
    }

    @Override
    public GistWatchApi.WatchedAccount watch(@Nullable String login) {
        String given = login == null ? null : login.strip();
        if (given == null || given.isEmpty()) {
            throw ApiProblem.invalid("login", "is required");
        }
        return view(watchList.watch(given));
    }

    @Override
    public void unwatch(@Nullable String login) {
        watchList.unwatch(login == null ? "" : login.strip());
    }

    @Override
    public List<Gist> recentGists(int limit) {
        return dealSync.recent(limit).stream()
                .map(g -> new Gist(
                        g.id(),
                        g.login(),
                        g.description(),
                        g.htmlUrl(),
                        g.createdAt(),
                        g.syncStatus(),
                        g.dealId(),
                        g.syncError()))
                .toList();
    }

    private static GistWatchApi.WatchedAccount view(com.relaycrm.gistwatch.watching.WatchedUser user) {
        return new GistWatchApi.WatchedAccount(
                user.login(),
                user.status(),
                user.statusDetail(),
                user.lastScanAt() == null ? null : user.lastScanAt().toInstant(),
                user.gistCount(),
                user.addedAt().toInstant());
    }
}
