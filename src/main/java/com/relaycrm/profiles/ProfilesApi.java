package com.relaycrm.profiles;

import java.util.Optional;

/** What other modules (e.g. sales, to attach a developer profile to a lead) may ask of profiles. */
public interface ProfilesApi {

    /** The last merged profile built for a name (the single name, or either provider's name); never fetches. */
    Optional<DeveloperProfile> lastBuilt(String name);
}
