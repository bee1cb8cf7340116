"""`make bench`: our bot against Rasa's stock starter bot, same machine, same run, same workload."""
