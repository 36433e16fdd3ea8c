-- One row per (provider, name): the last upstream outcome and a fetch lease, so that concurrent identical requests
-- on any instance trigger one upstream fetch.
create table profiles_provider_snapshot (
    provider    text        not null check (provider in ('github', 'bitbucket')),
    name        text        not null check (name = lower(name)),
    status      text        check (status in ('ok', 'not_found', 'rate_limited', 'error', 'timeout')),
    payload     jsonb,
    detail      text,
    retry_at    timestamptz,
    fetched_at  timestamptz,
    expires_at  timestamptz,
    lease_owner uuid,
    lease_until timestamptz,
    primary key (provider, name)
);

-- GitHub conditional requests: the last etag per URL and the compact body derived from that answer.
create table profiles_github_etag (
    url          text        primary key,
    etag         text        not null,
    compact_body text        not null,
    stored_at    timestamptz not null
);

-- The last merged profile built for a pair of names and options (GET /api/v1/profiles/{name} serves the newest).
create table profiles_merged_profile (
    github_name     text        not null check (github_name = lower(github_name)),
    bitbucket_name  text        not null check (bitbucket_name = lower(bitbucket_name)),
    include_forks   boolean     not null,
    include_commits boolean     not null,
    body            jsonb       not null,
    built_at        timestamptz not null,
    primary key (github_name, bitbucket_name, include_forks, include_commits)
);
create index profiles_merged_profile_bitbucket on profiles_merged_profile (bitbucket_name);
