// checklib.h: what the checkers here share.  They follow testlib's protocol without testlib:
// `checker INPUT OUTPUT ANSWER`, exit 0 accepted, 1 wrong answer, 2 presentation error (the
// output is not in the format), 3 the checker's own failure (its input or answer is bad).
// Malformed output is always 1 or 2, never 3: only the checker's own files can make it fail.
#pragma once
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

enum Exit { ACCEPTED = 0, WRONG = 1, PRESENTATION = 2, FAILED = 3 };

[[noreturn]] inline void quit(int code, const char* format, ...) {
    va_list args;
    va_start(args, format);
    std::vfprintf(stderr, format, args);
    va_end(args);
    std::fputc('\n', stderr);
    std::exit(code);
}

struct Stream {
    FILE* file;
    int bad;  // the exit a malformed token earns: PRESENTATION for output, FAILED otherwise
    const char* name;
};

inline Stream open_stream(const char* path, int bad, const char* name) {
    FILE* file = std::fopen(path, "rb");
    if (!file) quit(FAILED, "cannot open the %s (%s): %s", name, path, std::strerror(errno));
    return Stream{file, bad, name};
}

// The next whitespace-separated token, cut to fit `size` bytes (a longer one is malformed);
// false at the end of the stream.
inline bool next_token(Stream& in, char* token, size_t size) {
    int c;
    do c = std::fgetc(in.file);
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
    if (c == EOF) return false;
    size_t length = 0;
    while (c != EOF && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        if (length + 1 >= size) quit(in.bad, "the %s has a token over %zu bytes", in.name, size - 1);
        if (c == '\0') quit(in.bad, "the %s has a NUL byte", in.name);
        token[length++] = static_cast<char>(c);
        c = std::fgetc(in.file);
    }
    token[length] = '\0';
    return true;
}

// The next token as a whole 64-bit integer in [low, high]; anything else is malformed.
inline long long read_integer(Stream& in, long long low, long long high) {
    char token[32];
    if (!next_token(in, token, sizeof token)) quit(in.bad, "the %s ended early", in.name);
    char* end = nullptr;
    errno = 0;
    long long value = std::strtoll(token, &end, 10);
    if (errno || end == token || *end != '\0' || value < low || value > high)
        quit(in.bad, "the %s has %s where an integer in [%lld, %lld] belongs", in.name, token,
             low, high);
    return value;
}

inline void expect_end(Stream& in) {
    char token[32];
    if (next_token(in, token, sizeof token)) quit(in.bad, "the %s goes on after its end", in.name);
}
