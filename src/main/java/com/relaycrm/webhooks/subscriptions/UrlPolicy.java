package com.relaycrm.webhooks.subscriptions;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may go: http(s) only and, unless {@code RELAY_WEBHOOKS_ALLOW_PRIVATE=true}, never to loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, unique-local, multicast or unspecified addresses. Checked
 * when a subscription is saved and again, after DNS resolution, before every delivery, so a name that later
 * resolves to an internal address is refused too.
 */
@Component
class UrlPolicy {

    private final boolean allowPrivate;

    UrlPolicy(WebhooksProperties properties) {
        this.allowPrivate = properties.allowPrivate();
    }

    /** Why {@code url} is not a valid webhook URL by its form alone, or null. */
    static @Nullable String formProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute http or https URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an http or https URL";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain credentials";
        }
        if (uri.getRawFragment() != null) {
            return "must not contain a fragment";
        }
        return null;
    }

    /**
     * Resolves the URL's host and returns why it may not be called, or null. A host that does not resolve is
     * refused too: nothing could be delivered to it.
     */
    @Nullable
    String addressProblem(String url) {
        String host = URI.create(url).getHost();
        if (host == null) {
            return "must name a host";
        }
        if (allowPrivate) {
            return null;
        }
        String lower = bare(host).toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            return "must not point at this machine (" + host + ")";
        }
        try {
            resolve(host);
            return null;
        } catch (Refused e) {
            return e.getMessage();
        } catch (UnknownHostException e) {
            return "host " + host + " cannot be resolved";
        }
    }

    /**
     * The addresses a delivery may connect to for {@code host}: the HTTP client resolves through this, so the
     * addresses checked are the ones connected to (a name cannot pass the check and then resolve elsewhere), and each
     * attempt resolves its host once. A refusal is a {@link Refused}, whose message says why.
     */
    InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(bare(host));
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (blocked(address)) {
                    throw new Refused("must not point at a loopback, private, link-local or metadata address (" + host
                            + " is " + address.getHostAddress()
                            + "); set RELAY_WEBHOOKS_ALLOW_PRIVATE=true to allow it");
                }
            }
        }
        return addresses;
    }

    /** A host the rules refuse; an {@link UnknownHostException} so the HTTP client treats it as unresolvable. */
    static final class Refused extends UnknownHostException {

        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why);
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static boolean blocked(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7 (AWS metadata fd00:ec2::254 among them)
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return blocked(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
