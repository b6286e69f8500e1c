/**
 * The vhost-user target: a frontend that drives any vhost-user back-end over its socket, as QEMU would.
 *
 * <ul>
 *   <li>{@code linux}: the native calls through JNA (memfd, shared mappings, eventfds, AF_UNIX sockets with
 *       SCM_RIGHTS, poll), every descriptor owned by an object that closes it once;</li>
 *   <li>{@code protocol}: the messages of QEMU's docs/interop/vhost-user.rst and a connection that checks every
 *       reply and puts a deadline on every wait;</li>
 *   <li>this package: guest memory shared with the back-end ({@link org.virtiotck.harness.vhostuser.MemfdGuestMemory}),
 *       the driver model's transport over a connection ({@link org.virtiotck.harness.vhostuser.VhostUserTransport}),
 *       the reachability check of a target, and back-ends the harness starts itself (qemu-storage-daemon).</li>
 * </ul>
 */
package org.virtiotck.harness.vhostuser;
