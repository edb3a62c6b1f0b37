package ecstest

import (
	"strings"
	"unicode/utf8"

	"github.com/ecscore/ecscore/ecs"
)

// checkTags applies the API's rules for tags: at most 50, each key 1 to 128
// characters and unique, each value at most 256, and no key in the aws:
// namespace, which AWS reserves.
func checkTags(tags []ecs.Tag) error {
	if len(tags) > 50 {
		return invalidParameter("A resource can have at most 50 tags; %d were given.", len(tags))
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		switch n := utf8.RuneCountInString(t.Key); {
		case n == 0 || n > 128:
			return invalidParameter("Tag key %q must be 1 to 128 characters.", t.Key)
		case utf8.RuneCountInString(t.Value) > 256:
			return invalidParameter("The value of tag %q must be at most 256 characters.", t.Key)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return invalidParameter("Tag key %q is in the aws: namespace, which is reserved.", t.Key)
		case seen[t.Key]:
			return invalidParameter("Tag key %q is given more than once.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}
