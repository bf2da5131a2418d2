// Filled in by the simulator work.
return 0;
