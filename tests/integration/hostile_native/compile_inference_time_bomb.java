// attack: generic calls nested 12 levels deep in conditional expressions: javac infers each level's type once for every way the levels around it may be typed, so its work doubles with each level (10 levels take 18 s); the compile time limit (3 s here) stops it
// tests: compile_error
// message: compiling took longer than
// compile-time-s: 3

public class Main {
    static <T> T id(T value) {
        return value;
    }

    public static void main(String[] args) {
        boolean b = args.length > 0;
        Object o = id(b ? id(id(b ? id(id(b ? id(id(b ? id(id(b ? id(id(b ? id(id(b ? id(id(b ? id(id(b ? id(id(b ? id(id(b ? id(id(b ? id(null) : id(null))) : id(null))) : id(null))) : id(null))) : id(null))) : id(null))) : id(null))) : id(null))) : id(null))) : id(null))) : id(null))) : id(null));
        System.out.println(o);
    }
}
