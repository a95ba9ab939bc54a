package io.pnpoperator.endpoint.workflow;

import java.net.URI;

/** Where a device downloads what the workflow asks it to copy; the edge knows the public address. */
public interface Links {

    URI image(String file);

    URI file(String name);

    /** The day-0 configuration URL of a device, with the secret these links were given for it. */
    URI config(String serial);

    /** These links with the secret of one day-0 config URL, made for the request that sends it. */
    Links withConfigSecret(String secret);
}
