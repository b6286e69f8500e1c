package org.virtiotck.harness.inproc;

import java.util.Optional;
import java.util.function.ToIntFunction;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * One command from a net device's control virtqueue (VIRTIO 1.2 §5.1.6.5): the class and command bytes and the
 * command-specific data, which are everything the driver made readable; the device answers in the first writable
 * byte, the ack, so the used len is 1.
 */
public record NetCommand(int commandClass, int command, byte[] data) {

    /**
     * The command in {@code chain}.
     *
     * @throws MalformedChainException when the chain has no room for class, command and ack: the driver broke
     *         the queue's format, and the device asks for a reset, as QEMU does
     */
    public static NetCommand read(DescriptorChain chain, GuestMemory memory) {
        if (chain.readableLength() < 2 || chain.writableLength() < 1) {
            throw MalformedChainException.of("net control buffer at head %d has %d readable and %d writable "
                    + "bytes; a command needs 2 and its ack 1", chain.head(), chain.readableLength(),
                    chain.writableLength());
        }
        ChainReader reader = chain.reader(memory);
        byte[] head = new byte[2];
        reader.read(head);
        byte[] data = new byte[(int) reader.remaining()];
        reader.read(data);
        return new NetCommand(head[0] & 0xff, head[1] & 0xff, data);
    }

    /** Writes {@code ack} and returns the buffer to the driver. */
    public static void answer(DeviceQueue queue, DescriptorChain chain, int ack) {
        chain.writer(queue.memory()).write(new byte[] {(byte) ack});
        queue.push(chain, 1);
    }

    /** Every command waiting in {@code queue}, each answered with what {@code execute} returns. */
    public static void serve(DeviceQueue queue, ToIntFunction<NetCommand> execute) {
        for (Optional<DescriptorChain> next = queue.pop(); next.isPresent(); next = queue.pop()) {
            DescriptorChain chain = next.get();
            answer(queue, chain, execute.applyAsInt(read(chain, queue.memory())));
        }
    }
}
