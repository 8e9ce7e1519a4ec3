import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Loaded by bench/soak/Soak.java in a class loader of its own, again and again: it allocates, then is unloaded. */
public class Plugin implements Supplier<Object> {
    @Override
    public Object get() {
        List<Object> made = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Supplier<int[]> s = () -> new int[64];
            made.add(s.get());
        }
        return made;
    }
}
