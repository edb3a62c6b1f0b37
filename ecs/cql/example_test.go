package cql_test

import (
	"fmt"

	"github.com/ecscore/ecscore/ecs/cql"
)

func Example() {
	expr, err := cql.Parse("attribute:ecs.instance-type =~ t2.* and not(task:group in [web, 'batch jobs']) && agentVersion >= 1.14.5")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(expr)

	cql.Inspect(expr, func(e cql.Expr) bool {
		switch e := e.(type) {
		case *cql.And:
			fmt.Printf("%d: and of %d\n", e.Pos, len(e.Exprs))
		case *cql.Not:
			fmt.Printf("%d: not\n", e.Pos)
		case *cql.Compare:
			fmt.Printf("%d: %s %s", e.Pos, e.Subject, e.Op)
			for _, v := range e.Args {
				fmt.Printf(" %q", v.Text)
			}
			switch {
			case e.Regexp != nil:
				fmt.Printf(" (t2.small matches: %v)", e.Regexp.MatchString("t2.small"))
			case e.Subject.Kind == cql.AgentVersion:
				fmt.Printf(" (version %v)", []int(e.Args[0].Version))
			}
			fmt.Println()
		}
		return true
	})

	_, err = cql.Parse("agentVersion =~ 1.*")
	fmt.Println(err)
	// Output:
	// attribute:ecs.instance-type =~ t2.* and not(task:group in [web, 'batch jobs']) and agentVersion >= 1.14.5
	// 0: and of 3
	// 0: attribute:ecs.instance-type =~ "t2.*" (t2.small matches: true)
	// 40: not
	// 44: task:group in "web" "batch jobs"
	// 82: agentVersion >= "1.14.5" (version [1 14 5])
	// cql: 1:14: operator =~ not allowed for agentVersion
}
