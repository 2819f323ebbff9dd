// attack: pull host files into the build with go:embed, and C code with cgo: the compile jail runs Go's compiler alone, with no embed configuration and cgo off, so neither builds
// tests: compile_error
// message: embed

package main

import (
	_ "embed"
	"fmt"
)

//go:embed /etc/passwd
var passwd string

func main() {
	fmt.Println(passwd)
}
