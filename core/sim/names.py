"""Ingredients for deterministic fake player names (first × last gives a few thousand names)."""

from __future__ import annotations

from typing import Final

FIRST_NAMES: Final = (
    "Aaron", "Adrian", "Alex", "Andre", "Ben", "Blake", "Brandon", "Caleb", "Cameron", "Carlos",
    "Chris", "Cole", "Connor", "Darius", "David", "Derek", "Devin", "Diego", "Dylan", "Eli",
    "Elijah", "Emeka", "Eric", "Ethan", "Felix", "Gabriel", "Grant", "Hugo", "Isaac", "Ivan",
    "Jalen", "Jamal", "James", "Jared", "Javier", "Jordan", "Josh", "Julian", "Kai", "Kevin",
    "Kyle", "Lars", "Leon", "Liam", "Luca", "Lucas", "Malik", "Marcus", "Mason", "Mateo",
    "Miles", "Nate", "Nico", "Noah", "Omar", "Oscar", "Owen", "Pablo", "Quinn", "Rafael",
    "Reggie", "Ryan", "Sam", "Sebastian", "Theo", "Tobias", "Trey", "Tyler", "Victor", "Wes",
    "Xavier", "Yusuf", "Zach", "Andrei", "Bruno", "Dario", "Emil", "Jonas", "Kofi", "Mikel",
)  # fmt: skip

LAST_NAMES: Final = (
    "Abbott", "Alvarez", "Anders", "Bailey", "Barnes", "Bell", "Bennett", "Brooks", "Bryant",
    "Carter", "Castillo", "Coleman", "Collins", "Cooper", "Cruz", "Dalton", "Diallo", "Dixon",
    "Duarte", "Ellis", "Evans", "Fischer", "Fleming", "Ford", "Foster", "Garrison", "Gibson",
    "Graham", "Greene", "Hale", "Harper", "Hayes", "Henderson", "Holland", "Hughes", "Ibarra",
    "Jensen", "Keller", "Kimura", "Lambert", "Larsen", "Lawson", "Lindqvist", "Lowe", "Maddox",
    "Marsh", "Mendez", "Mercer", "Monroe", "Morales", "Murphy", "Nash", "Novak", "Okafor",
    "Olsen", "Ortega", "Palmer", "Parker", "Pierce", "Porter", "Quinn", "Ramos", "Reed",
    "Reyes", "Rhodes", "Rivera", "Romero", "Russo", "Sanders", "Santos", "Schmidt", "Shaw",
    "Silva", "Sims", "Stone", "Sutton", "Tanaka", "Thornton", "Turner", "Vance", "Vargas",
    "Wagner", "Walsh", "Warren", "Watts", "Webb", "Whitaker", "Wolfe", "Young", "Zimmerman",
)  # fmt: skip

# (body part, location) as ESPN's injury details name them.
INJURY_TYPES: Final = (
    ("Ankle", "Leg"), ("Knee", "Leg"), ("Hamstring", "Leg"), ("Calf", "Leg"), ("Foot", "Leg"),
    ("Groin", "Leg"), ("Hip", "Leg"), ("Back", "Torso"), ("Abdomen", "Torso"), ("Ribs", "Torso"),
    ("Shoulder", "Arm"), ("Wrist", "Arm"), ("Hand", "Arm"), ("Elbow", "Arm"),
    ("Concussion", "Head"), ("Illness", "Other"),
)  # fmt: skip
MINOR_DETAILS: Final = ("Sprain", "Strain", "Soreness", "Contusion", "Tightness", "Inflammation")
MAJOR_DETAILS: Final = ("Surgery", "Fracture", "Tear")
SIDES: Final = ("Left", "Right", "Not Specified")
