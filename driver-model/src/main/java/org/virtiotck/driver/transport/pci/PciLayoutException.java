package org.virtiotck.driver.transport.pci;

/**
 * The function's configuration space does not describe a usable virtio-pci modern layout: a broken
 * capability list, a virtio structure missing, or a structure the BAR registers cannot reach. The message
 * names the raw register values, so a report shows what the device presented.
 */
public final class PciLayoutException extends RuntimeException {
    public PciLayoutException(String message) {
        super(message);
    }
}
