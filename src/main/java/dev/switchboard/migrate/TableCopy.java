package dev.switchboard.migrate;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Copies every row of every table of one Switchboard database (H2) into another, empty one (PostgreSQL) of the same
 * schema version, in one transaction: tables as the target's schema lists them (Flyway's history excepted), parents
 * before the tables whose foreign keys name them, the columns both have except those the target computes itself
 * (generated ones such as {@code users.username_key}); ids are copied as they are, then each identity column's
 * sequence is moved past the largest, so the next insert gets a new one. Tables added by later migrations are copied
 * without a change here.
 */
final class TableCopy {
    private static final int BATCH = 1_000;

    private TableCopy() {}

    /**
     * Copies {@code source} into {@code target} (committed only if everything was copied) and returns the rows
     * copied per table, in copy order.
     *
     * @throws IllegalStateException if a table of the target has rows already
     */
    static Map<String, Long> copy(Connection source, Connection target) throws SQLException {
        List<String> tables = tablesInCopyOrder(target);
        for (String t : tables) {
            if (count(target, t) > 0) {
                throw new IllegalStateException("The target database is not empty (table " + t + " has rows): copy"
                        + " into a new, empty PostgreSQL database only.");
            }
        }
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        Map<String, Long> copied = new LinkedHashMap<>();
        try {
            for (String t : tables) copied.put(t, copyTable(source, target, t));
            for (String t : tables) advanceIdentities(target, t);
            target.commit();
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw e;
        } finally {
            target.setAutoCommit(autoCommit);
        }
        return copied;
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The target's tables, each after the tables its foreign keys reference. */
    static List<String> tablesInCopyOrder(Connection target) throws SQLException {
        DatabaseMetaData meta = target.getMetaData();
        Set<String> all = new TreeSet<>();
        try (ResultSet rs = meta.getTables(null, target.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) all.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        }
        all.remove("flyway_schema_history");
        Map<String, Set<String>> parents = new TreeMap<>();
        for (String t : all) {
            Set<String> p = new TreeSet<>();
            try (ResultSet rs = meta.getImportedKeys(null, target.getSchema(), t)) {
                while (rs.next()) p.add(rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT));
            }
            p.remove(t); // a table naming itself (a tree) is fine in one transaction only if rows come in order: none here
            parents.put(t, p);
        }
        Set<String> ordered = new LinkedHashSet<>();
        while (ordered.size() < all.size()) {
            int before = ordered.size();
            for (String t : all) if (!ordered.contains(t) && ordered.containsAll(parents.get(t))) ordered.add(t);
            if (ordered.size() == before) throw new IllegalStateException("Foreign keys form a cycle: " + parents);
        }
        return new ArrayList<>(ordered);
    }

    private static long copyTable(Connection source, Connection target, String table) throws SQLException {
        List<String> columns = new ArrayList<>(columns(target, table, false));
        columns.retainAll(columns(source, table, true));
        if (columns.isEmpty()) return 0;
        String list = String.join(", ", columns);
        String insert = "INSERT INTO " + table + " (" + list + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
        long rows = 0;
        try (Statement read = source.createStatement(); PreparedStatement write = target.prepareStatement(insert)) {
            read.setFetchSize(BATCH);
            try (ResultSet rs = read.executeQuery("SELECT " + list + " FROM " + table)) {
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) write.setObject(i, rs.getObject(i));
                    write.addBatch();
                    if (++rows % BATCH == 0) write.executeBatch();
                }
            }
            write.executeBatch();
        }
        return rows;
    }

    /**
     * The table's column names in lower case, without the computed ones unless {@code withGenerated} (identity columns
     * stay: their values are copied); none when the table does not exist (a table the source has not got yet).
     */
    private static Set<String> columns(Connection c, String table, boolean withGenerated) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        DatabaseMetaData meta = c.getMetaData();
        String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
        try (ResultSet rs = meta.getColumns(null, c.getSchema(), name, "%")) {
            while (rs.next()) {
                boolean computed = "YES".equals(rs.getString("IS_GENERATEDCOLUMN"))
                        && !"YES".equals(rs.getString("IS_AUTOINCREMENT"));
                if (withGenerated || !computed) {
                    names.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    /** Moves each identity (or serial) column's sequence past the largest id copied. */
    private static void advanceIdentities(Connection target, String table) throws SQLException {
        for (String column : columns(target, table, false)) {
            String sequence;
            try (PreparedStatement s = target.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
                s.setString(1, table);
                s.setString(2, column);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    sequence = rs.getString(1);
                }
            }
            if (sequence == null) continue;
            try (PreparedStatement s = target.prepareStatement("SELECT setval(?, COALESCE((SELECT MAX(" + column
                    + ") FROM " + table + "), 0) + 1, false)")) {
                s.setString(1, sequence);
                s.execute();
            }
        }
    }
}
