package org.virtiotck.harness.qemu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bare-metal AArch64 program that performs MMIO accesses for the harness: it spins on a mailbox in guest
 * RAM, does the one read or write asked for and reports result and status; a synchronous exception (an access
 * to an unmapped address) is caught, reported with ESR and FAR, and skipped. The instruction words are
 * position independent (vectors and mailbox found with {@code adr}); the image must sit 2 KiB aligned, and the
 * mailbox is the next 4 KiB page, so the stub's own stores never invalidate translated code.
 *
 * <p>The words encode the assembly in the shared notes ({@code qemu-guest-stub.md}); they are written into the
 * RAM file before QEMU starts, and {@code -device loader} without a file only sets the PC.
 */
final class GuestStub {
    /** Guest-physical address of the stub: above the DTB QEMU places in the first MiB of RAM. */
    static final long LOAD_ADDRESS = 0x4020_0000L;
    static final long MAILBOX = LOAD_ADDRESS + 0x1000;
    static final long READY_MAGIC = 0x5944524255545321L;
    static final int IMAGE_BYTES = 0x280;
    private static final int HANDLER_OFFSET = 0x200;

    /** Main loop; the last two words are the ready magic literal, 0xd503201f an alignment nop. */
    private static final int[] MAIN = {
        0x10000000, 0xd518c000, 0xd5033fdf, 0x91400400, 0xd2800001, 0xf900101f,
        0xf900181f, 0x580006e9, 0xd5033fbf, 0xf9001c09, 0xd5033f9f, 0xf9400002,
        0xeb01005f, 0x54ffffc0, 0xd5033fbf, 0xf9400403, 0xf9400804, 0xf9400c05,
        0xd2800006, 0xd2800007, 0xf100047f, 0x54000240, 0xf100087f, 0x54000240,
        0xf1000c7f, 0x54000240, 0xf100107f, 0x54000240, 0xf100147f, 0x54000240,
        0xf100187f, 0x54000240, 0xf1001c7f, 0x54000240, 0xf100207f, 0x54000240,
        0xb4000243, 0xd2800027, 0x14000010, 0x39400086, 0x1400000e, 0x79400086,
        0x1400000c, 0xb9400086, 0x1400000a, 0xf9400086, 0x14000008, 0x39000085,
        0x14000006, 0x79000085, 0x14000004, 0xb9000085, 0x14000002, 0xf9000085,
        0xd5033f9f, 0xf9001406, 0xf9001807, 0xd5033fbf, 0xf9001002, 0xaa0203e1,
        0x17ffffcf, 0xd503201f, 0x55545321, 0x59445242,
    };

    /** Synchronous exception vector (current EL, SP_ELx): record ESR/FAR, status 2, return past the access. */
    private static final int[] SYNC_HANDLER = {
        0xd5385208, 0xf9002008, 0xd5386008, 0xf9002408, 0xd2800047, 0xd2800006,
        0xd5384028, 0x91001108, 0xd5184028, 0xd69f03e0,
    };

    private GuestStub() {
    }

    /** The image: main loop at offset 0, handler at 0x200, zeros elsewhere. */
    static byte[] image() {
        ByteBuffer b = ByteBuffer.allocate(IMAGE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : MAIN) {
            b.putInt(w);
        }
        b.position(HANDLER_OFFSET);
        for (int w : SYNC_HANDLER) {
            b.putInt(w);
        }
        return b.array();
    }
}
