package io.rollforward.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rollforward.config.Limits;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * Arbitrary bytes into the real front pipeline on an EmbeddedChannel, in up to four reads, then
 * the header-read timeout: no exception may reach the pipeline's end, everything the proxy wrote
 * must parse as well-formed HTTP/1.1 responses, nothing may stay unreleased (the leak detector
 * runs at paranoid for this class).
 *
 * <p>The default build runs it in regression mode over the inputs in
 * {@code src/test/resources/io/rollforward/proxy/hardening/FrontFuzzTestInputs/frontPipeline/}.
 * A real fuzzing run, which stores any crashing input there:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl proxy -am verify -Dtest=FrontFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (bounded by {@code maxDuration}).
 */
class FrontFuzzTest {
    private static final Limits LIMITS = new Limits(1024, 2048, 512, 8L << 20, Duration.ofSeconds(10),
            Duration.ofSeconds(60), 100, 4, Duration.ofSeconds(4), Duration.ofSeconds(2));
    private static final FrontFixture FRONT = new FrontFixture(LIMITS);

    @AfterAll
    static void close() {
        FRONT.close();
    }

    @FuzzTest(maxDuration = "60s")
    void frontPipeline(FuzzedDataProvider data) {
        EmbeddedChannel ch = FRONT.channel();
        List<Throwable> escaped = new ArrayList<>();
        String receiver = ch.pipeline().names().stream().filter(n -> n.startsWith("ClientRequestReceiver")).findFirst()
                .orElseThrow();
        ch.pipeline().addBefore(receiver, "exception-probe", new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                escaped.add(cause);
                ctx.fireExceptionCaught(cause);
            }
        });
        ch.freezeTime();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        int reads = data.consumeInt(1, 4);
        for (int i = 0; i < reads && ch.isOpen(); i++) {
            byte[] piece = i == reads - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 4096));
            ch.writeInbound(Unpooled.wrappedBuffer(piece));
            ch.runPendingTasks();
            written.writeBytes(FrontFixture.written(ch));
        }
        ch.advanceTimeBy(11, TimeUnit.SECONDS); // past the header-read timeout
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        written.writeBytes(FrontFixture.written(ch));
        assertThat(escaped).as("exceptions reaching the end of the pipeline").isEmpty();
        HttpResponses.parse(written.toByteArray());
        ch.close();
        ch.runPendingTasks();
        HttpResponses.parse(FrontFixture.written(ch));
        assertFalse(ch.finishAndReleaseAll());
    }
}
