package com.relaycrm.platform.web;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.catalina.util.NetMask;
import org.apache.catalina.valves.RemoteIpValve;

/**
 * {@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and {@code -Port} are believed only when the connection
 * comes from a configured proxy ({@code RELAY_TRUSTED_PROXIES}); from anyone else they are ignored, so rotating
 * {@code X-Forwarded-For} cannot escape a per-address budget and {@code X-Forwarded-Host} cannot reach a link.
 */
final class ProxyTrust {

    private ProxyTrust() {}

    /** The CIDR list Tomcat's {@link RemoteIpValve} matches, each entry validated; a bare address is one host. */
    static String cidrs(List<String> configured) {
        return configured.stream()
                .map(entry -> {
                    String cidr = entry.indexOf('/') >= 0 ? entry : entry + (entry.indexOf(':') >= 0 ? "/128" : "/32");
                    try {
                        new NetMask(cidr);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "RELAY_TRUSTED_PROXIES: '" + entry + "' is not an IP address or CIDR block", e);
                    }
                    return cidr;
                })
                .collect(Collectors.joining(","));
    }

    /** Null when no proxy is trusted: then no valve reads the headers at all. */
    static RemoteIpValve valve(String cidrs) {
        RemoteIpValve valve = new RemoteIpValve();
        // Every hop inside the trusted blocks is skipped; the first address outside them is the client.
        valve.setInternalProxies(cidrs);
        valve.setTrustedProxies("");
        valve.setRemoteIpHeader("X-Forwarded-For");
        valve.setProxiesHeader("X-Forwarded-By");
        valve.setProtocolHeader("X-Forwarded-Proto");
        valve.setHostHeader("X-Forwarded-Host");
        valve.setPortHeader("X-Forwarded-Port");
        return valve;
    }
}
