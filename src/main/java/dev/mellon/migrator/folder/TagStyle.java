package dev.mellon.migrator.folder;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * How a folder names its migrations (drizzle-kit's {@code migrations.prefix}), detected from the tags it
 * already has: {@code 0003_x} (index), {@code 20261124021235_x} (timestamp), {@code 1795486358_x} (unix).
 */
public enum TagStyle {
    INDEX, TIMESTAMP, UNIX;

    private static final Pattern TIMESTAMP_TAG = Pattern.compile("\\d{14}_.*");
    private static final Pattern UNIX_TAG = Pattern.compile("\\d{10}_.*");
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    // Our own word lists: a random name is readable and unlikely to repeat, nothing more.
    private static final List<String> ADJECTIVES = List.of("amber", "brave", "calm", "clever", "crisp", "daring", "eager",
            "fancy", "gentle", "glossy", "happy", "hidden", "jolly", "keen", "lively", "lucky", "mellow", "mighty", "nimble",
            "noble", "polite", "proud", "quick", "quiet", "rapid", "rusty", "sharp", "shiny", "silent", "smooth", "steady",
            "sunny", "swift", "tidy", "vivid", "warm", "wise", "witty", "young", "zesty");
    private static final List<String> NOUNS = List.of("badger", "beacon", "birch", "canyon", "cedar", "comet", "coral",
            "dune", "ember", "falcon", "fjord", "galaxy", "glacier", "harbor", "heron", "island", "lantern", "maple", "meadow",
            "nebula", "otter", "pebble", "pine", "prairie", "quartz", "raven", "reef", "river", "summit", "thistle", "tundra",
            "valley", "walrus", "willow", "yak", "zephyr");

    public static TagStyle of(List<String> tags) {
        if (tags.isEmpty()) {
            return INDEX;
        }
        String last = tags.get(tags.size() - 1);
        if (TIMESTAMP_TAG.matcher(last).matches()) {
            return TIMESTAMP;
        }
        if (UNIX_TAG.matcher(last).matches()) {
            return UNIX;
        }
        return INDEX;
    }

    /** The tag of a new migration: its prefix in this style, then the name (or a random adjective_noun). */
    public String tag(int idx, Instant now, String name) {
        String prefix = switch (this) {
            case INDEX -> String.format("%04d", idx);
            case TIMESTAMP -> UTC_SECONDS.format(now);
            case UNIX -> Long.toString(now.getEpochSecond());
        };
        return prefix + "_" + (name == null ? randomName() : name);
    }

    /**
     * A tag that none of {@code taken} has, nor its prefix: in a time style, a second later while another tag starts
     * with the prefix of {@code now} (an entry generated in the same second, or the entry being moved), because the
     * snapshot file is named after the prefix alone.
     */
    public String freeTag(int idx, Instant now, String name, java.util.Collection<String> taken) {
        String picked = name == null ? randomName() : name;
        Instant at = now;
        String tag = tag(idx, at, picked);
        while (this != INDEX && prefixTaken(tag, taken)) {
            at = at.plusSeconds(1);
            tag = tag(idx, at, picked);
        }
        return tag;
    }

    private static boolean prefixTaken(String tag, java.util.Collection<String> taken) {
        String prefix = FolderReader.snapshotName(tag);
        return taken.stream().anyMatch(t -> FolderReader.snapshotName(t).equals(prefix));
    }

    /** A name becomes part of a file name: letters, digits, {@code _} and {@code -} only. */
    public static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    static String randomName() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_" + NOUNS.get(random.nextInt(NOUNS.size()));
    }
}
