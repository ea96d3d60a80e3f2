package core

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOptionForWrongConstructorDoesNotCompile type-checks calls that pass
// an option to a constructor that does not read it: each must be a
// compile-time error, and the right uses must type-check.
func TestOptionForWrongConstructorDoesNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks package core from source")
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil)
	check := func(call string) error {
		src := "package p\nimport (\"time\"; \"github.com/slotnet/slotnet/core\")\n" +
			"var _ = time.Second\nfunc f() { " + call + " }\n"
		f, err := parser.ParseFile(fset, "p.go", src, 0)
		require.NoError(t, err)
		conf := types.Config{Importer: imp}
		_, err = conf.Check("p", fset, []*ast.File{f}, nil)
		return err
	}
	for _, bad := range []string{
		"core.NewTimer(core.WithRepanic())",
		"core.NewObject(core.WithInterval(time.Second))",
		"core.NewLoop(core.WithLoop(nil))",
		"core.NewBus(nil, core.WithName(\"x\"))",
		"core.NewObject(core.WithLogger(nil))",
	} {
		assert.Error(t, check(bad), bad)
	}
	for _, good := range []string{
		"core.NewLoop(core.WithName(\"n\"), core.WithLogger(nil), core.WithRepanic())",
		"core.NewObject(core.WithName(\"n\"), core.WithLoop(nil), core.WithParent(nil))",
		"core.NewTimer(core.WithName(\"n\"), core.WithLoop(nil), core.WithInterval(time.Second), core.WithSingleShot())",
		"core.NewBus(nil, core.WithLogger(nil), core.WithErrorHandler(nil))",
	} {
		assert.NoError(t, check(good), good)
	}
}
