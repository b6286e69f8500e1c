package org.virtiotck.driver.console;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * One struct virtio_console_control (VIRTIO 1.2 §5.3.6.2): le32 id (the port), le16 event, le16 value, and for
 * PORT_NAME (the name, UTF-8 without NUL) and RESIZE (cols, rows) the bytes that follow it in the same buffer.
 * Little-endian, as every field of a non-legacy device. The id is unsigned, kept in a long.
 */
public record ControlMessage(long id, int event, int value, byte[] tail) {
    public static final int SIZE = 8;

    /** Event values (§5.3.6.2). */
    public static final int DEVICE_READY = 0;
    public static final int DEVICE_ADD = 1;
    public static final int DEVICE_REMOVE = 2;
    public static final int PORT_READY = 3;
    public static final int CONSOLE_PORT = 4;
    public static final int RESIZE = 5;
    public static final int PORT_OPEN = 6;
    public static final int PORT_NAME = 7;

    private static final String[] NAMES = {"DEVICE_READY", "DEVICE_ADD", "DEVICE_REMOVE", "PORT_READY",
        "CONSOLE_PORT", "RESIZE", "PORT_OPEN", "PORT_NAME"};

    public ControlMessage {
        if (id < 0 || id > 0xffffffffL || event < 0 || event > 0xffff || value < 0 || value > 0xffff) {
            throw new IllegalArgumentException("control message field out of range: id " + id + ", event " + event
                    + ", value " + value);
        }
        tail = tail.clone();
    }

    public ControlMessage(long id, int event, int value) {
        this(id, event, value, new byte[0]);
    }

    /** The header followed by the tail, as one buffer carries it. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE + tail.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) id).putShort((short) event).putShort((short) value).put(tail);
        return b.array();
    }

    /** The message a buffer holds, or empty when it is shorter than the header. */
    public static Optional<ControlMessage> decode(byte[] bytes) {
        if (bytes.length < SIZE) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return Optional.of(new ControlMessage(Integer.toUnsignedLong(b.getInt(0)), Short.toUnsignedInt(b.getShort(4)),
                Short.toUnsignedInt(b.getShort(6)), Arrays.copyOfRange(bytes, SIZE, bytes.length)));
    }

    @Override
    public byte[] tail() {
        return tail.clone();
    }

    /** "DEVICE_ADD", or "event 9" for a value §5.3.6.2 does not define. */
    public static String eventName(int event) {
        return event < NAMES.length ? NAMES[event] : "event " + event;
    }

    /** "DEVICE_ADD(port 1, value 0)", with a PORT_NAME's name. */
    @Override
    public String toString() {
        String name = event == PORT_NAME ? ", name \"" + new String(tail, StandardCharsets.UTF_8) + "\"" : "";
        return eventName(event) + "(port " + id + ", value " + value + name + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlMessage m && m.id == id && m.event == event && m.value == value
                && Arrays.equals(m.tail, tail);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + event * 7 + value + Arrays.hashCode(tail);
    }
}
