package org.virtiotck.harness.inproc;

/**
 * A device's hold on its {@link DeviceHost}, for far sides that act before a transport has attached the device,
 * or without one at all (a device driven directly in a unit test): until {@link #attach} there is no queue to
 * service and no driver to notify, so those calls only apply the change itself.
 */
final class HostLink {
    private volatile DeviceHost host;

    void attach(DeviceHost host) {
        this.host = host;
    }

    /** Lets the device take up work on {@code queueIndex} now, if a transport is attached. */
    void serviceQueue(int queueIndex) {
        DeviceHost h = host;
        if (h != null) {
            h.serviceQueue(queueIndex);
        }
    }

    /** Applies {@code change} to the configuration space and announces it, if a transport is attached. */
    void changeConfig(Runnable change) {
        DeviceHost h = host;
        if (h != null) {
            h.changeConfig(change);
        } else {
            change.run();
        }
    }
}
