// Package cql parses the Amazon ECS cluster query language, the
// language of memberOf placement constraint expressions. Its entry point
// is Parse, which returns an Expr to evaluate against an instance, or an
// error that names the position.
//
// [Parse] turns an expression such as
//
//	attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d
//
// into a syntax tree of [Expr] nodes. It checks the expression fully:
// that every operator is allowed for its subject, that typed arguments
// are well formed, and that regular expressions compile. It does not
// evaluate expressions; a caller compiles the tree against its own
// model of container instances.
//
// # Grammar
//
// In the EBNF notation of the Go specification:
//
//	Expression = OrExpr .
//	OrExpr     = AndExpr { OrOp AndExpr } .
//	AndExpr    = Unary { AndOp Unary } .
//	Unary      = NotOp Unary | "(" Expression ")" | Condition .
//	Condition  = Subject ( CompareOp Value | ListOp List | ExistsOp ) .
//	List       = "[" Value { "," Value } "]" .
//	Value      = bare_value | quoted_value .
//
//	OrOp       = "||" | "or" .
//	AndOp      = "&&" | "and" .
//	NotOp      = "!" | "not" .
//	CompareOp  = "==" | "equals" | "!=" | "not_equals" |
//	             ">" | "greater_than" | ">=" | "greater_than_equal" |
//	             "<" | "less_than" | "<=" | "less_than_equal" |
//	             "=~" | "matches" | "!~" | "not_matches" .
//	ListOp     = "in" | "!in" | "not_in" .
//	ExistsOp   = "exists" | "!exists" | "not_exists" .
//
//	Subject    = "agentConnected" | "agentVersion" | "attribute:" attr_name |
//	             "ec2InstanceId" | "registeredAt" | "runningTasksCount" |
//	             "task:group" .
//
// "not" binds most tightly, then "and", then "or", so
// "a or b and not c" groups as "a or (b and (not c))". Parentheses
// override precedence. Keywords, subjects and word operators are case
// sensitive. Parentheses and negations may nest at most [MaxDepth]
// levels deep; a "(" directly after a negation, as in "not(...)", does
// not count as a level of its own.
//
// # Lexical elements
//
// Tokens are separated by optional white space (space, tab, newline,
// carriage return, vertical tab, form feed). Operators need no white
// space around them: "runningTasksCount==1" is valid.
//
// An attr_name is 1 to 128 ASCII letters, digits, hyphens, underscores,
// periods, forward slashes or back slashes.
//
// A bare_value is a run of bytes other than white space and the
// structural characters ( ) [ ] , ' " that does not contain "&&" or
// "||". It may contain operator characters, so "task:group ==
// service:production" compares with "service:production" and
// "attribute:x =~ g2.*" matches the pattern "g2.*". The words "and",
// "or" and "not" are reserved and must be quoted to be used as values.
//
// A quoted_value is enclosed in single or double quotes and may contain
// any byte except its closing quote, including white space and
// structural characters. There are no escape sequences. A regular
// expression that contains parentheses, brackets or commas, such as
// '^t2\.(micro|small)$', must be quoted.
//
// # Subjects and operators
//
// Each subject allows only some operators:
//
//	agentConnected      == != in !in =~ !~        argument true or false
//	agentVersion        == != > >= < <=           argument a version such as 1.14.5
//	attribute:<name>    all operators             argument any string
//	ec2InstanceId       == != in !in =~ !~        argument any string
//	registeredAt        == != > >= < <=           argument a date
//	runningTasksCount   == != > >= < <=           argument a non-negative integer
//	task:group          == != in !in =~ !~ exists !exists
//
// The operators, by symbol and word:
//
//	==   equals               string equality
//	!=   not_equals           string inequality
//	>    greater_than         greater than
//	>=   greater_than_equal   greater than or equal
//	<    less_than            less than
//	<=   less_than_equal      less than or equal
//	     exists               subject exists
//	!exists  not_exists       subject does not exist
//	     in                   value in argument list
//	!in  not_in               value not in argument list
//	=~   matches              pattern match
//	!~   not_matches          pattern mismatch
//
// Arguments of registeredAt take the forms 2018-06-18T22:28:28+00:00,
// 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 and 2018-06-18; forms
// without an offset are in UTC. A version is one or more dot-separated
// decimal numbers; versions compare component by component (see
// [Version.Compare]). The arguments of agentConnected in a match are
// patterns, not Booleans.
//
// The ordering operators on attribute subjects compare numerically when
// both the attribute value and the argument are decimal numbers, and
// byte-wise as strings otherwise; see [CompareAttributeValues].
//
// # Parentheses
//
// The ECS documentation says that a single simple expression cannot
// contain parentheses, yet its own example is not(task:group == database).
// The parser accepts parentheses around any expression, simple or
// compound: (attribute:a == b) means attribute:a == b. Rejecting them
// would refuse expressions ECS's own examples use.
//
// # Regular expressions
//
// The arguments of =~ and !~ use the RE2 syntax of package [regexp],
// not the Java syntax the ECS documentation names; back-references and
// look-around are not available. A pattern must match a whole value:
// "t2.*" matches "t2.small" but "2.small" does not. The compiled,
// anchored pattern is stored in [Compare.Regexp].
//
// # Canonical form
//
// The String method of every node prints a canonical form that parses
// to an equal tree: symbolic comparison operators, the words "and" and
// "or", "not(...)" for negations, parentheses only where grouping
// requires them, and values bare where possible, otherwise in single
// quotes (double quotes if the value contains a single quote).
package cql
