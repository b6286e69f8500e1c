package org.virtiotck.driver.transport.pci;

/**
 * The PCI configuration space of one function, as the host bridge lets a CPU reach it (ECAM, port 0xcf8,
 * or an in-process model). Offsets count from the start of the function's space. Widths are 1, 2 or 4
 * bytes, values little-endian and zero-extended.
 *
 * <p>The constants name the type-0 header registers and bits the virtio-pci transport uses.
 */
public interface PciConfigSpace {
    int VENDOR_ID = 0x00;
    int DEVICE_ID = 0x02;
    int COMMAND = 0x04;
    int STATUS = 0x06;
    int REVISION_ID = 0x08;
    /** Three bytes: programming interface (0x09), subclass (0x0a), base class (0x0b). */
    int CLASS_CODE = 0x09;
    int HEADER_TYPE = 0x0e;
    /** BAR n is the 32-bit register at {@code BAR0 + 4 * n}, n = 0..5. */
    int BAR0 = 0x10;
    int SUBSYSTEM_VENDOR_ID = 0x2c;
    int SUBSYSTEM_ID = 0x2e;
    int CAPABILITIES_POINTER = 0x34;
    int INTERRUPT_LINE = 0x3c;
    int INTERRUPT_PIN = 0x3d;

    /** Command register bits. */
    int COMMAND_IO_SPACE = 0x1;
    int COMMAND_MEMORY_SPACE = 0x2;
    int COMMAND_BUS_MASTER = 0x4;
    int COMMAND_INTX_DISABLE = 0x400;

    /** Status register bits. */
    int STATUS_INTERRUPT = 0x8;
    int STATUS_CAPABILITIES_LIST = 0x10;

    /** Capability id of a vendor-specific capability, the kind virtio uses for its structures. */
    int CAP_ID_VENDOR = 0x09;

    int read(int offset, int width);

    void write(int offset, int width, int value);
}
