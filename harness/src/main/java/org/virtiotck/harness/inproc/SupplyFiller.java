package org.virtiotck.harness.inproc;

import java.util.Optional;
import java.util.function.Consumer;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * The device-to-driver half of a byte stream (console input, rng output): fills the writable part of each
 * available chain, in order, with the next bytes of a {@link ByteSupply}, and returns it with used len equal
 * to the bytes written (§2.7.8.2). A chain is only taken off the ring while the supply has bytes: buffers the
 * driver posts wait in the ring until there is something to put in them, and bytes wait in the supply until
 * the driver posts buffers. That is the flow control both directions need, with no chain held inside the device,
 * so a reset has nothing of the driver's to forget. A buffer is returned as soon as the supply runs dry, part
 * filled: a stream gives the driver what is there rather than holding it back for more.
 */
final class SupplyFiller {

    private SupplyFiller() {
    }

    /**
     * Fills chains from {@code queue} while {@code supply} has bytes. {@code check} sees each chain before it is
     * filled and may refuse it with a {@link MalformedChainException}.
     */
    static void fill(DeviceQueue queue, ByteSupply supply, Consumer<DescriptorChain> check) {
        GuestMemory mem = queue.memory();
        while (true) {
            DescriptorChain chain;
            byte[] bytes;
            // Holding the supply's monitor from the check to the take: a far side that shrinks the supply in
            // another thread cannot leave a chain taken off the ring with nothing to put in it.
            synchronized (supply) {
                if (supply.available() == 0) {
                    return;
                }
                Optional<DescriptorChain> next = queue.pop();
                if (next.isEmpty()) {
                    return;
                }
                chain = next.get();
                check.accept(chain);
                // Readable descriptors, which the driver should not have put there, are left unread.
                bytes = supply.take((int) Math.min(chain.writableLength(), Integer.MAX_VALUE));
            }
            if (!chain.writer(mem).write(bytes)) {
                throw new IllegalStateException("filled past the writable part of " + chain);
            }
            queue.push(chain, bytes.length);
        }
    }
}
