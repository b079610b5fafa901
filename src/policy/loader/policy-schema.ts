/**
 * JSON Schema (draft-07) of a policy file. policies/policy.schema.json is the
 * published copy editors use (yaml-language-server modeline); a unit test
 * keeps the two identical. The schema is kept in code because POLICIES_DIR
 * may point anywhere and the service must not trust a schema found there.
 */
export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://consent-gate.dev/schemas/policy.schema.json',
  title: 'Consent Gate policy version',
  description:
    'One version of a consent policy: policies/<policy>/<version>.yaml. See docs/policy-language.md.',
  type: 'object',
  additionalProperties: false,
  required: ['policy', 'version', 'effectiveFrom', 'description', 'rules'],
  properties: {
    policy: {
      description: 'Policy id; must equal the folder name.',
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9-]*$',
    },
    version: {
      description: 'Semantic version MAJOR.MINOR.PATCH; must equal the file name without .yaml.',
      type: 'string',
      pattern:
        '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$',
    },
    effectiveFrom: {
      description:
        'First instant this version applies (inclusive). YYYY-MM-DD (UTC midnight) or RFC 3339 date-time with offset.',
      $ref: '#/definitions/instant',
    },
    effectiveTo: {
      description: 'Instant this version stops applying (exclusive). Omit or null for open-ended.',
      oneOf: [
        {
          $ref: '#/definitions/instant',
        },
        {
          type: 'null',
        },
      ],
    },
    description: {
      type: 'string',
      minLength: 1,
    },
    parameters: {
      description: 'Named values rules refer to with { param: name } and {name} in messages.',
      type: 'object',
      propertyNames: {
        pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      },
      additionalProperties: {
        $ref: '#/definitions/json',
      },
    },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        $ref: '#/definitions/rule',
      },
    },
  },
  definitions: {
    instant: {
      type: 'string',
      pattern:
        '^\\d{4}-\\d{2}-\\d{2}([Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2}))?$',
    },
    json: {
      description: 'Any JSON value.',
      type: ['string', 'number', 'boolean', 'null', 'array', 'object'],
    },
    paramRef: {
      type: 'object',
      additionalProperties: false,
      required: ['param'],
      properties: {
        param: {
          type: 'string',
          pattern: '^[A-Za-z][A-Za-z0-9_]*$',
        },
      },
    },
    rule: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'severity', 'order', 'message', 'when'],
      properties: {
        code: {
          description: 'Stable machine-readable code reported when the rule fails.',
          type: 'string',
          pattern: '^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$',
        },
        name: {
          description: 'Optional stable rule name (kebab-case); defaults to the code.',
          type: 'string',
          pattern: '^[a-z0-9][a-z0-9-]*$',
        },
        description: {
          type: 'string',
        },
        severity: {
          description: 'reject: the contact is rejected; warn: reported in warnings only.',
          enum: ['reject', 'warn'],
        },
        order: {
          description: 'Evaluation and reporting order, ascending; unique within the version.',
          type: 'integer',
          minimum: 1,
        },
        message: {
          description:
            'Human message; {paramName} is replaced by the parameter value. Never includes contact data.',
          type: 'string',
          minLength: 1,
        },
        effectiveFrom: {
          description: 'The rule applies from this instant (inclusive).',
          $ref: '#/definitions/instant',
        },
        effectiveTo: {
          description: 'The rule stops applying at this instant (exclusive).',
          $ref: '#/definitions/instant',
        },
        skipIfFailed: {
          description:
            'Codes of earlier rules; when one of them failed this rule is not reported (its inputs are unusable).',
          type: 'array',
          items: {
            type: 'string',
            pattern: '^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$',
          },
          uniqueItems: true,
        },
        when: {
          description: 'The VIOLATION: the rule fails (fires) when this condition holds.',
          $ref: '#/definitions/condition',
        },
      },
    },
    condition: {
      anyOf: [
        {
          $ref: '#/definitions/leaf',
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['all'],
          properties: {
            all: {
              type: 'array',
              minItems: 1,
              items: {
                $ref: '#/definitions/condition',
              },
            },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['any'],
          properties: {
            any: {
              type: 'array',
              minItems: 1,
              items: {
                $ref: '#/definitions/condition',
              },
            },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['not'],
          properties: {
            not: {
              $ref: '#/definitions/condition',
            },
          },
        },
      ],
    },
    leaf: {
      type: 'object',
      additionalProperties: false,
      required: ['fact', 'operator'],
      properties: {
        fact: {
          description: 'A fact from docs/policy-language.md.',
          type: 'string',
        },
        operator: {
          description:
            'An operator from docs/policy-language.md, optionally decorated (someFact:, everyFact:, someValue:, everyValue:, swap:, not:).',
          type: 'string',
        },
        value: {
          description: 'Literal to compare with, or { param: name }.',
          $ref: '#/definitions/json',
        },
        path: {
          description: 'Simple JSONPath into the fact value: $.field, $.a.b, $.list[0].',
          type: 'string',
          pattern: '^\\$(\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d+\\])*$',
        },
        params: {
          description: 'Arguments of a parameterised fact; values may be { param: name }.',
          type: 'object',
          additionalProperties: {
            $ref: '#/definitions/json',
          },
        },
      },
    },
  },
} as const;
