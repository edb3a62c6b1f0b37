package ecs

import (
	"fmt"
	"regexp"
)

var familyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// checkRegistration refuses what RegisterTaskDefinition refuses before it
// stores anything: the members the model requires (rules 1 and 2).
func checkRegistration(td *TaskDefinition) error {
	var msg string
	switch {
	case td.Family == "":
		msg = "Family is required."
	case !familyPattern.MatchString(td.Family):
		msg = fmt.Sprintf("Family %q must be up to 255 letters (uppercase and lowercase), numbers, hyphens and underscores.", td.Family)
	case len(td.ContainerDefinitions) == 0:
		msg = "Container definitions are required."
	default:
		return nil
	}
	return NewAPIError(ClientException, msg, ErrInvalid)
}
