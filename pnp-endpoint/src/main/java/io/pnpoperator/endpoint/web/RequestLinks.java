package io.pnpoperator.endpoint.web;

import io.pnpoperator.endpoint.workflow.Links;
import java.net.URI;

/**
 * Download links under one base URL: {@code pnp.public-url} when set, else the address the device
 * itself used to reach this server (its Host header), which is right behind NAT and load balancers alike.
 */
record RequestLinks(String base, String configSecret) implements Links {

    static RequestLinks of(URI publicUrl, String requestBase) {
        String base = publicUrl != null ? publicUrl.toString() : requestBase;
        return new RequestLinks(base.endsWith("/") ? base.substring(0, base.length() - 1) : base, "");
    }

    @Override
    public URI image(String file) {
        return URI.create(base + "/images/" + file);
    }

    @Override
    public URI file(String name) {
        return URI.create(base + "/files/" + name);
    }

    @Override
    public URI config(String serial) {
        if (configSecret.isEmpty()) {
            throw new IllegalStateException("a config URL needs the secret made for its request");
        }
        return URI.create(base + "/configs/" + configSecret + "/" + serial + ".cfg");
    }

    @Override
    public Links withConfigSecret(String secret) {
        return new RequestLinks(base, secret);
    }
}
