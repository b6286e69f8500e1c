package org.virtiotck.driver;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.Transport;

/**
 * A fake device for the driver model's own tests: plain fields say what each register answers, and a test
 * replaces any of them with hostile behaviour.
 */
class ScriptedTransport implements Transport {
    int status;
    /** Maps the value the driver writes to the status the device keeps. */
    IntUnaryOperator onStatusWrite = v -> v;
    FeatureSet offered = FeatureSet.of(Feature.VERSION_1);
    /** Called on every read of the device features; lets a test change them over time. */
    Runnable beforeFeatureRead = () -> { };
    int queueMax = 16;
    IntSupplier generation = () -> 0;
    IntSupplier interrupts = () -> 0;
    Runnable onNotify = () -> { };
    int notifies;
    /** Whether this transport has a queue reset register, and what it reads after a reset was asked for. */
    boolean queueResets;
    BooleanSupplier resetPending = () -> false;

    @Override
    public int deviceId() {
        return 2;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public void setStatus(int value) {
        status = onStatusWrite.applyAsInt(value);
    }

    @Override
    public FeatureSet deviceFeatures() {
        beforeFeatureRead.run();
        return offered;
    }

    @Override
    public void setDriverFeatures(FeatureSet features) {
    }

    @Override
    public int queueMaxSize(int queue) {
        return queue == 0 ? queueMax : 0;
    }

    @Override
    public void configureQueue(int queue, int size, long descriptorArea, long driverArea, long deviceArea) {
    }

    @Override
    public void setQueueReady(int queue, boolean ready) {
    }

    @Override
    public boolean queueReady(int queue) {
        return true;
    }

    @Override
    public void notifyQueue(int queue) {
        notifies++;
        onNotify.run();
    }

    @Override
    public int takeInterrupts() {
        return interrupts.getAsInt();
    }

    @Override
    public int configGeneration() {
        return generation.getAsInt();
    }

    @Override
    public long readConfig(int offset, int width) {
        return 0;
    }

    @Override
    public void writeConfig(int offset, int width, long value) {
    }

    @Override
    public boolean queueResetSupported() {
        return queueResets;
    }

    @Override
    public void resetQueue(int queue) {
        if (!queueResets) {
            throw new UnsupportedOperationException("no queue reset");
        }
    }

    @Override
    public boolean queueResetPending(int queue) {
        return resetPending.getAsBoolean();
    }
}
