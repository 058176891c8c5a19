package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.folder.SqlScanner;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

/**
 * What PostgreSQL said about a refused statement: its own message (without the driver's decoration), the 1-based
 * character position in the statement, the detail and the hint, when the server sent them.
 */
public record ServerError(String sqlState, String message, Integer position, String detail, String hint) {

    public static ServerError of(SQLException e) {
        if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
            ServerErrorMessage server = pe.getServerErrorMessage();
            return new ServerError(e.getSQLState(), server.getMessage(), server.getPosition() > 0 ? server.getPosition() : null,
                    server.getDetail(), server.getHint());
        }
        return new ServerError(e.getSQLState(), e.getMessage(), null, null, null);
    }

    public MigrationFailedException failure(String tag, int statementIndex, String sql, java.util.List<String> committed,
                                     java.util.List<String> rolledBack, java.util.List<String> stranded,
                                     SQLException cause) {
        return new MigrationFailedException(tag, statementIndex, SqlScanner.firstLine(sql), sqlState, message, position, detail,
                hint, committed, rolledBack, stranded, cause);
    }
}
