package dev.mellon.migrator.folder;

import java.util.Comparator;

/**
 * The order drizzle-orm 1.0 sorts migration directories in: JavaScript's {@code localeCompare}, which is the Unicode
 * root collation. Letters compare without case first (lowercase wins a tie), and punctuation is not ignored but sorts
 * before digits, which sort before letters. Only names within the same second can disagree with a plain string order,
 * and only such names need this; the JDK's root collator differs (it ignores spaces and hyphens), hence this table.
 */
final class DirectoryOrder implements Comparator<String> {

    static final DirectoryOrder INSTANCE = new DirectoryOrder();

    /** ASCII whitespace, punctuation and symbols in root-collation order; digits and letters come after them. */
    private static final String SYMBOLS = "\t\n\u000b\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

    private DirectoryOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int primary = compareBy(a, b, true);
        if (primary != 0) {
            return primary;
        }
        int tertiary = compareBy(a, b, false);
        return tertiary != 0 ? tertiary : a.compareTo(b);
    }

    private static int compareBy(String a, String b, boolean ignoreCase) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            int ka = weight(a.charAt(i), ignoreCase);
            int kb = weight(b.charAt(i), ignoreCase);
            if (ka != kb) {
                return Integer.compare(ka, kb);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    private static int weight(char c, boolean ignoreCase) {
        int symbol = SYMBOLS.indexOf(c);
        if (symbol >= 0) {
            return symbol;
        }
        if (c >= '0' && c <= '9') {
            return 100 + (c - '0');
        }
        if (c >= 'a' && c <= 'z') {
            return 200 + (c - 'a') * 2;
        }
        if (c >= 'A' && c <= 'Z') {
            // Same primary weight as the lowercase letter; uppercase after it when case decides.
            return 200 + (c - 'A') * 2 + (ignoreCase ? 0 : 1);
        }
        return 1000 + c;
    }
}
