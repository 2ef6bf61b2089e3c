module eventbind.test/driver

go 1.22

require events v0.0.0

replace events => ./events
