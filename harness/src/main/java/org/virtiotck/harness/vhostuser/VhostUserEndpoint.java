package org.virtiotck.harness.vhostuser;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.io.IOException;
import java.util.Optional;
import org.virtiotck.harness.vhostuser.linux.NativeCallException;
import org.virtiotck.harness.vhostuser.linux.UnixStreamSocket;

/** Whether a vhost-user back-end listens at a path, checked before any probe runs by connecting once. */
public final class VhostUserEndpoint {
    private VhostUserEndpoint() {
    }

    /** Empty when a connection to {@code socket} succeeds; otherwise what is wrong, in a few words. */
    public static Optional<String> problem(Path socket) {
        if (!Files.exists(socket)) {
            return Optional.of("no vhost-user socket at " + socket + " (the path does not exist)");
        }
        try {
            if (!Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()
                    && !Files.isSymbolicLink(socket)) {
                return Optional.of(socket + " is not a socket");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Let the connection attempt say what is wrong.
        }
        try (UnixStreamSocket s = UnixStreamSocket.connect(socket)) {
            return Optional.empty();
        } catch (NativeCallException | IllegalArgumentException e) {
            return Optional.of("cannot connect to vhost-user socket " + socket + ": " + e.getMessage());
        }
    }
}
