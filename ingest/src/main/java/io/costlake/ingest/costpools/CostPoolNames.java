package io.costlake.ingest.costpools;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the cost-pool configuration (DESIGN §2.3) may name: the namespace label that carries the pool, the
 * namespaces of the explicit mapping and the pools. Namespace names and label keys follow Kubernetes' own
 * validation (a mapping of a name no namespace can have would silently never match); pool names must fit
 * where pools from the label come from and where they are stored. Each check returns what is wrong, if anything.
 */
public final class CostPoolNames {
    /**
     * Longest pool name: a Kubernetes label value, which is what a pool taken from the namespace label is, so a
     * mapped pool can always be moved to the label. (The {@code cost_pool} columns themselves are unbounded.)
     */
    public static final int MAX_POOL_LENGTH = 63;
    /** Rows costlake writes for cost no namespace holds; a pool of that name would be mistaken for them. */
    public static final Set<String> RESERVED_POOLS = Set.of("__idle__", "__unmounted__");

    private static final int MAX_LABEL_LENGTH = 63;
    private static final int MAX_SUBDOMAIN_LENGTH = 253;
    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    private CostPoolNames() {}

    /** A namespace name is a DNS-1123 label. */
    public static Optional<String> namespaceProblem(String namespace) {
        requireNonNull(namespace, "namespace is null");
        if (namespace.length() > MAX_LABEL_LENGTH || !DNS_1123_LABEL.matcher(namespace).matches()) {
            return Optional.of("namespace name must be a DNS-1123 label: at most 63 characters of a-z, 0-9 and '-', "
                    + "starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** A label key is an optional DNS-1123 subdomain and '/', then a name of at most 63 characters. */
    public static Optional<String> labelKeyProblem(String key) {
        requireNonNull(key, "key is null");
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (prefix != null && (prefix.isEmpty() || prefix.length() > MAX_SUBDOMAIN_LENGTH
                || !DNS_1123_SUBDOMAIN.matcher(prefix).matches())) {
            return Optional.of("the prefix of a label key must be a DNS-1123 subdomain (such as example.com): at most "
                    + "253 characters of a-z, 0-9, '-' and '.'");
        }
        if (name.length() > MAX_LABEL_LENGTH || !LABEL_NAME.matcher(name).matches()) {
            return Optional.of("must be a Kubernetes label key: an optional prefix and '/', then at most 63 "
                    + "characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** A pool name is non-blank text without control characters, not reserved, at most 63 characters. */
    public static Optional<String> poolProblem(String pool) {
        if (pool == null || pool.isBlank()) {
            return Optional.of("pool name is empty");
        }
        if (RESERVED_POOLS.contains(pool)) {
            return Optional.of("pool name " + pool + " is reserved (costlake's rows for idle cost and unmounted "
                    + "volumes); choose another");
        }
        if (!pool.strip().equals(pool)) {
            return Optional.of("pool name '" + pool + "' starts or ends with white space");
        }
        if (pool.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("pool name contains a control character");
        }
        if (pool.length() > MAX_POOL_LENGTH) {
            return Optional.of("pool name is " + pool.length() + " characters long; at most " + MAX_POOL_LENGTH
                    + " are allowed (the length of a Kubernetes label value, as pools from the namespace label are)");
        }
        return Optional.empty();
    }
}
