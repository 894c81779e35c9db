/* legal_forms.h — the legal-form table (lib/legal_forms.c), private to lib/. */
#ifndef SEAWALL_LEGAL_FORMS_H
#define SEAWALL_LEGAL_FORMS_H

struct sw_legal_form {
    const char *lang;   /* ISO 639-1 of the legal system it comes from */
    const char *form;   /* normalised words, or the CJK form as written */
};

extern const struct sw_legal_form sw_legal_forms[];

#endif
