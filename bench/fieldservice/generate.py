#!/usr/bin/env python3
"""Writes a CSV shaped like Stone's bd_desafio.csv: ';'-delimited UTF-8, 1,048,575 rows by default, ids shuffled,
~570k distinct clients (~5.7M at 10,485,750 rows), 600 angels each attached to a home polo and covering one neighbour polo on 3% of their
visits (130 polos, 'UF - CITY' with inconsistent accents), deadlines over 245 days from June 2021, ~15% of visits
late and ~1% pending, the real file's mixed day-first date formats, ~1% bad rows.

usage: generate.py OUT.csv [ROWS] [SEED]
"""
import random
import sys
from datetime import date, datetime, timedelta

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_048_575
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 4)

FIRST = ["Sergio", "Jônatas", "Gabriel", "João", "Éder", "Pedro", "Fabricio", "Mariana", "Eduardo", "Ana", "Lucas",
         "Paula"]
LAST = ["Terra", "Magalhães", "Lima", "Torres", "Ferreira", "Neves", "Pereira", "Sena", "Wanderley", "Virgilio",
        "Oliveira", "Bandoli", "de"]
UFS = ["AC", "AL", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA", "PB", "PE", "PI", "PR", "RJ",
       "RN", "RO", "RS", "SC", "SE", "SP", "TO"]
CITIES = ["SAO GONCALO", "SÃO GONÇALO", "LONDRINA", "RIO VERDE", "CAXIAS DO SUL", "ITUMBIARA", "ALFENAS", "OLINDA",
          "CURITIBA", "SOBRAL", "CASCAVEL", "GUARAPARI", "BUNKER RECIFE 1", "CACHOEIRO DE ITAPEMIRIM", "SAQUAREMA",
          "VALPARAISO DE GOIAS", "FOZ DO IGUAÇU", "FOZ DO IGUACU", "MANAUS", "GOIANIA", "GOIÂNIA", "CAMPINA GRANDE",
          "RIO BRANCO", "SANTA CRUZ", "BUNKER 1", "JOAO PESSOA", "JOÃO PESSOA", "RESENDE", "FEIRA DE SANTANA",
          "VOLTA REDONDA", "SANTOS", "CAMPINAS", "NITEROI", "NITERÓI", "BELO HORIZONTE", "UBERLANDIA", "UBERLÂNDIA"]

polos = sorted({f"{rng.choice(UFS)} - {rng.choice(CITIES)}" for _ in range(200)})[:130]
angels = sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}" for _ in range(900)})[:600]
home = {a: rng.choice(polos) for a in angels}
neighbour = {a: rng.choice(polos) for a in angels}
# 770k drawn from gives ~570k distinct clients at 1M rows (the real file: 573,670); larger files keep the ratio
# (10,485,750 rows -> ~5.7M distinct).
clients = [rng.randrange(10_000_000, 999_999_999) for _ in range(max(770_000, round(rows * 0.7343)))]
ids = list(range(1, rows + 1))
rng.shuffle(ids)
start = date(2021, 6, 1)


def visit_text(when):
    r = rng.random()
    if r < 0.60:
        return when.strftime("%Y-%m-%d %H:%M:%S")
    if r < 0.75:
        return when.strftime("%d/%m/%Y %H:%M:%S")
    if r < 0.85:
        return when.strftime("%d/%m/%Y %H:%M")
    if r < 0.90:
        return when.strftime("%d/%m/%Y")
    if r < 0.95:
        return when.strftime("%d/%m/%y") + "  "
    if r < 0.975:
        return when.strftime("%d/%m%Y %H:%M")
    return when.strftime("%d /%m /%Y %H:%M:%S")


bad = 0
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("id_atendimento;id_cliente;angel;polo;data_limite;data_de_atendimento\n")
    for i in ids:
        angel = rng.choice(angels)
        polo = home[angel] if rng.random() < 0.97 else neighbour[angel]
        limit = start + timedelta(days=rng.randrange(245))
        visited = None
        if rng.random() > 0.01:
            days = -rng.randrange(0, 5) if rng.random() < 0.85 else rng.randrange(1, 4)
            visited = datetime.combine(limit + timedelta(days=days), datetime.min.time()) + timedelta(
                seconds=rng.randrange(7 * 3600, 20 * 3600))
        fields = [str(i), str(rng.choice(clients)), angel, polo, limit.strftime("%d/%m/%Y"),
                  visit_text(visited) if visited else ""]
        b = rng.random()
        if b < 0.01:
            bad += 1
            kind = rng.randrange(4)
            if kind == 0:
                fields[4] = "31/02/2021"
            elif kind == 1:
                fields[5] = "n/a"
            elif kind == 2:
                fields = fields[:5]
            else:
                fields[1] = "cliente?"
        f.write(";".join(fields) + "\n")
print(f"{out}: {rows} rows, {bad} bad, {len(angels)} angels, {len(polos)} polos", file=sys.stderr)
