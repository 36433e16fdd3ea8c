package com.relaycrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExportsFormulaTest {

    @Test
    void cellsThatASpreadsheetWouldRunAreMadeText() {
        for (String formula : new String[] {
            "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "   =1+1", " @x", "=", "-", "  +55 11 9999-0000"
        }) {
            assertThat(CsvCells.neutralise(formula)).as(formula).isEqualTo("'" + formula);
        }
        for (String text : new String[] {"", "   ", "plain", "a=b", "1-2", "'quoted", "João", "x\n=1", "\u00A0=1"}) {
            assertThat(CsvCells.neutralise(text)).as(text).isEqualTo(text);
        }
    }
}
