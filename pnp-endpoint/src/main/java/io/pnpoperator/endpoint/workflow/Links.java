package io.pnpoperator.endpoint.workflow;

import java.net.URI;

/** Where a device downloads what the workflow asks it to copy; the edge knows the public address. */
public interface Links {

    URI image(String file);

    URI file(String name);

    /** A configuration URL that works only with the device's current token. */
    URI config(String serial, String token);
}
