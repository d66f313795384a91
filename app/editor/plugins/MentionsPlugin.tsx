/**
 * Type "@" and a few letters to mention a colleague: a menu of matching people (from
 * `searchPeople`), Enter or click inserts a MentionNode. The server notifies the person when the
 * document's text settles — if they may read it.
 */
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { LexicalTypeaheadMenuPlugin, MenuOption, useBasicTypeaheadTriggerMatch } from "@lexical/react/LexicalTypeaheadMenuPlugin";
import { $createTextNode, type TextNode } from "lexical";
import { useEffect, useMemo, useState } from "react";
import { createPortal } from "react-dom";
import { mentionDirectoryOf } from "../mention-directory";
import { $createMentionNode } from "../nodes/MentionNode";

export interface MentionPerson {
  id: string;
  name: string;
  title?: string;
}

class PersonOption extends MenuOption {
  constructor(readonly person: MentionPerson) {
    super(person.id);
  }
}

export function MentionsPlugin({ searchPeople }: { searchPeople: (q: string) => Promise<MentionPerson[]> }) {
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState<string | null>(null);
  const [people, setPeople] = useState<MentionPerson[]>([]);
  const trigger = useBasicTypeaheadTriggerMatch("@", { minLength: 0, maxLength: 40 });

  useEffect(() => {
    if (query === null) return;
    let live = true;
    const t = setTimeout(() => {
      searchPeople(query)
        .then((p) => live && setPeople(p))
        .catch(() => live && setPeople([]));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query, searchPeople]);

  const options = useMemo(() => people.map((p) => new PersonOption(p)), [people]);

  const onSelect = (option: PersonOption, textNode: TextNode | null, close: () => void) => {
    // Just picked from the directory's search: the name is current.
    mentionDirectoryOf(editor)?.remember(option.person.id, option.person.name);
    editor.update(() => {
      const mention = $createMentionNode(option.person.id, option.person.name);
      if (textNode) textNode.replace(mention);
      // A real space after the token, with the caret after it: selecting the token itself would
      // leave an empty text node in the document, which every other client then normalises away.
      const space = $createTextNode(" ");
      mention.insertAfter(space);
      space.select();
    });
    close();
  };

  return (
    <LexicalTypeaheadMenuPlugin<PersonOption>
      onQueryChange={setQuery}
      onSelectOption={onSelect}
      triggerFn={trigger}
      options={options}
      // Inside the page's main landmark (not loose on <body>), so assistive technology finds it in context.
      parent={typeof document === "undefined" ? undefined : (document.getElementById("main") ?? undefined)}
      menuRenderFn={(anchor, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex }) =>
        anchor.current && options.length
          ? createPortal(
              <ul className="typeahead" role="listbox" aria-label="People to mention" data-testid="mention-menu">
                {options.map((o, i) => (
                  <li
                    key={o.key}
                    ref={(el) => o.setRefElement(el)}
                    role="option"
                    aria-selected={selectedIndex === i}
                    onMouseEnter={() => setHighlightedIndex(i)}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => selectOptionAndCleanUp(o)}
                  >
                    <strong>{o.person.name}</strong>
                    {o.person.title && <span className="muted small">{o.person.title}</span>}
                  </li>
                ))}
              </ul>,
              anchor.current,
            )
          : null
      }
    />
  );
}
