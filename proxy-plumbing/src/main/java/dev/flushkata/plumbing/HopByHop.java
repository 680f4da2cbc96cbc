package dev.flushkata.plumbing;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Hop-by-hop headers: they describe one connection, so a proxy never forwards them (RFC 9110 7.6.1). */
public final class HopByHop {

    /** Always hop-by-hop, in lower case; Go's httputil strips the same list. */
    static final Set<String> NAMES = Set.of("connection", "proxy-connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHop() {
    }

    /** The lower-case names not to forward: the fixed list plus every name listed in Connection. */
    public static Set<String> namesIn(Map<String, List<String>> headers) {
        Set<String> names = new HashSet<>(NAMES);
        headers.forEach((name, values) -> {
            if (name.equalsIgnoreCase("connection")) {
                for (String value : values) {
                    for (String token : value.split(",")) {
                        String t = token.trim().toLowerCase(Locale.ROOT);
                        if (!t.isEmpty()) {
                            names.add(t);
                        }
                    }
                }
            }
        });
        return names;
    }

    /** True if the header named name is in the lower-case set hopByHop. */
    public static boolean isHopByHop(String name, Set<String> hopByHop) {
        return hopByHop.contains(name.toLowerCase(Locale.ROOT));
    }
}
