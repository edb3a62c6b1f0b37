package ecstest

import (
	"regexp"
	"unicode/utf8"

	"github.com/ecscore/ecscore/ecs"
)

// maxTags is the most tags a resource has beside those in the aws:
// namespace (rule 8).
const maxTags = 50

// tagPattern is the pattern of the API model's TagKey and TagValue:
// letters, spaces, numbers and _ . : / = + - @.
var tagPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// checkTags applies the API's rules for tags: at most 50, each key 1 to 128
// characters and unique, each value at most 256, both of the model's
// pattern, and no key in the aws: namespace, which AWS reserves.
func checkTags(tags []ecs.Tag) error {
	if len(tags) > maxTags {
		return invalidParameter("A resource can have at most %d tags; %d were given.", maxTags, len(tags))
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if err := checkTagKey(t.Key); err != nil {
			return err
		}
		switch {
		case utf8.RuneCountInString(t.Value) > 256:
			return invalidParameter("The value of tag %q must be at most 256 characters.", t.Key)
		case !tagPattern.MatchString(t.Value):
			return invalidParameter("The value of tag %q has characters tags cannot have: use letters, numbers, spaces and _ . : / = + - @.", t.Key)
		case seen[t.Key]:
			return invalidParameter("Tag key %q is given more than once.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// checkTagKey applies the API's rules for a tag key a request gives: 1
// to 128 characters of the model's pattern, not in the aws: namespace.
func checkTagKey(key string) error {
	switch n := utf8.RuneCountInString(key); {
	case n == 0 || n > 128:
		return invalidParameter("Tag key %q must be 1 to 128 characters.", key)
	case !tagPattern.MatchString(key):
		return invalidParameter("Tag key %q has characters tags cannot have: use letters, numbers, spaces and _ . : / = + - @.", key)
	case reservedTagKey(key):
		return invalidParameter("Tag key %q is in the aws: namespace, which is reserved.", key)
	}
	return nil
}
