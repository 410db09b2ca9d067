-- Bounds on input: names without control or direction-override
-- characters and at most 256 characters, descriptions likewise (line
-- breaks kept), clock stamps whose node is a device id (at most 64
-- letters, digits or '-', and at most 8 repair marks). Stored values that
-- earlier versions accepted are cleaned by the Go step registered for this
-- migration (cleanStored in clean.go), in the same transaction. This file
-- only records the step.
SELECT 1;
