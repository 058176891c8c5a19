package dev.mellon.migrator.web;

import dev.mellon.migrator.web.security.Disclosure;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * The problem document the REST layer would answer a failure with, for places that are not a JAX-RS response: the
 * command line, and the last event of an apply's event stream. The mapper is chosen as JAX-RS chooses it, the
 * {@link ServerExceptionMapper} method for the most specific type the failure is, so a new mapper serves these too.
 */
public final class ProblemDocuments {

    private static final List<Method> MAPPERS = Arrays.stream(ProblemMappers.class.getMethods())
            .filter(m -> m.isAnnotationPresent(ServerExceptionMapper.class) && m.getParameterCount() == 1
                    && Throwable.class.isAssignableFrom(m.getParameterTypes()[0]))
            .toList();

    private ProblemDocuments() {
    }

    /** As seen by the holder of the database URL: everything an admin would see. */
    public static Problem of(Throwable e) {
        return of(e, new Disclosure(null, null) {
            @Override
            public boolean internalsVisible() {
                return true;
            }
        });
    }

    public static Problem of(Throwable e, Disclosure disclosure) {
        ProblemMappers mappers = new ProblemMappers();
        mappers.disclosure = disclosure;
        Method best = null;
        for (Method m : MAPPERS) {
            Class<?> type = m.getParameterTypes()[0];
            if (type.isInstance(e) && (best == null || best.getParameterTypes()[0].isAssignableFrom(type))) {
                best = m;
            }
        }
        try {
            return (Problem) ((Response) best.invoke(mappers, e)).getEntity();
        } catch (IllegalAccessException | InvocationTargetException failure) {
            return (Problem) mappers.unexpected(e).getEntity();
        }
    }

    /** The problem for a command-line option the engine refused, as the REST layer says it for a request field. */
    public static Problem invalid(String option, String detail) {
        return new Problem("invalid-request", "Invalid request", 400, detail).with("field", option);
    }
}
