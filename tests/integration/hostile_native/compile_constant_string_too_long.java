// attack: constant folding of string concatenation doubled 13 times into one 64 KB constant, past what a class file can hold
// tests: compile_error
// message: constant string too long

interface K {
    String A0 = "abcdefgh";
    String A1 = A0 + A0;
    String A2 = A1 + A1;
    String A3 = A2 + A2;
    String A4 = A3 + A3;
    String A5 = A4 + A4;
    String A6 = A5 + A5;
    String A7 = A6 + A6;
    String A8 = A7 + A7;
    String A9 = A8 + A8;
    String A10 = A9 + A9;
    String A11 = A10 + A10;
    String A12 = A11 + A11;
    String A13 = A12 + A12;
}

public class Main implements K {
    public static void main(String[] args) {
        System.out.println(A13.length());
    }
}
