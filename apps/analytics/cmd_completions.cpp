#include "cmd_completions.hpp"

#include "cli_support.hpp"

#include <sstream>

namespace analytics::app {

namespace {

// What follows an option on the command line.
enum class ValueKind {
    none,   // nothing: a flag
    choice, // one of fixed choices
    file,   // a file name (type FILE or PATH)
    other,  // anything else: a date, a number, a conninfo
};

struct OptionInfo {
    std::vector<std::string> names; // "--format", "-f"
    std::string description;
    ValueKind kind = ValueKind::none;
    std::vector<std::string> choices;
};

// A command, or a subcommand of one, as completions see it.
struct Node {
    std::string path; // "db psql"
    std::vector<OptionInfo> options;
    std::vector<std::string> long_options;      // "--format"
    std::vector<std::string> positional_values; // fixed choices of a positional
    std::vector<const CLI::App*> children;
};

OptionInfo describe_option(const std::string& path, const CLI::Option& option) {
    OptionInfo info;
    info.description = option.get_description();
    for (const auto& l : option.get_lnames()) {
        info.names.push_back("--" + l);
    }
    for (const auto& s : option.get_snames()) {
        info.names.push_back("-" + s);
    }
    if (option.get_expected_max() == 0) {
        return info;
    }
    const auto choices = recorded_choices().find(path + " " + info.names.front());
    const std::string type = option.get_type_name();
    if (choices != recorded_choices().end()) {
        info.kind = ValueKind::choice;
        info.choices = choices->second;
    } else if (type.find("FILE") != std::string::npos || type.find("PATH") != std::string::npos) {
        info.kind = ValueKind::file;
    } else {
        info.kind = ValueKind::other;
    }
    return info;
}

Node describe(const CLI::App& app) {
    Node node;
    node.path = command_path(app);
    for (const CLI::Option* option : app.get_options()) {
        if (option->get_lnames().empty() && option->get_snames().empty()) {
            // A positional: its choices, if any, are offered like subcommands.
            const auto choices = recorded_choices().find(node.path + " " + option->get_name());
            if (choices != recorded_choices().end()) {
                node.positional_values.insert(node.positional_values.end(), choices->second.begin(),
                                              choices->second.end());
            }
            continue;
        }
        node.options.push_back(describe_option(node.path, *option));
        for (const auto& l : option->get_lnames()) {
            node.long_options.push_back("--" + l);
        }
    }
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (!sub->get_group().empty()) {
            node.children.push_back(sub);
        }
    }
    return node;
}

std::vector<Node> all_nodes(const CLI::App& root) {
    std::vector<Node> out;
    std::vector<const CLI::App*> stack{&root};
    while (!stack.empty()) {
        const CLI::App* app = stack.back();
        stack.pop_back();
        Node node = describe(*app);
        for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) {
            stack.push_back(*it);
        }
        out.push_back(std::move(node));
    }
    return out;
}

std::string join(const std::vector<std::string>& items, const std::string& sep = " ") {
    std::string out;
    for (const auto& i : items) {
        out += out.empty() ? i : sep + i;
    }
    return out;
}

std::vector<std::string> child_names(const Node& node) {
    std::vector<std::string> names;
    for (const CLI::App* c : node.children) {
        names.push_back(c->get_name());
    }
    return names;
}

std::string shell_single_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
    }
    return out + "'";
}

// Shell 'case' arms that follow the words typed so far down the command tree:
// '<path>|<word>') path='<path> <word>' ;;
void emit_path_cases(std::ostream& out, const std::vector<Node>& nodes) {
    for (const auto& node : nodes) {
        for (const auto& child : child_names(node)) {
            const std::string next = node.path.empty() ? child : node.path + " " + child;
            out << "            " << shell_single_quote(node.path + "|" + child)
                << ") path=" << shell_single_quote(next) << " ;;\n";
        }
    }
}

// Shell 'case' arms completing the value of an option after it, by its kind:
// '<path>|<option>') <action> ;;
template <typename Action>
void emit_value_cases(std::ostream& out, const std::vector<Node>& nodes, Action action) {
    for (const auto& node : nodes) {
        for (const auto& option : node.options) {
            if (option.kind == ValueKind::none) {
                continue;
            }
            for (const auto& name : option.names) {
                out << "        " << shell_single_quote(node.path + "|" + name) << ") "
                    << action(option) << " ;;\n";
            }
        }
    }
}

std::string bash_script(const CLI::App& root) {
    std::ostringstream out;
    out << "# bash completion for analytics. Generated by 'analytics completions bash'; do not "
           "edit.\n"
        << "_analytics() {\n"
        << "    local cur prev path word i\n"
        << "    cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
        << "    prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
        << "    path=\"\"\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        word=\"${COMP_WORDS[i]}\"\n"
        << "        case \"$path|$word\" in\n";
    const auto nodes = all_nodes(root);
    emit_path_cases(out, nodes);
    out << "        esac\n"
        << "    done\n"
        << "    case \"$path|$prev\" in\n";
    emit_value_cases(out, nodes, [](const OptionInfo& option) -> std::string {
        switch (option.kind) {
        case ValueKind::choice:
            return "COMPREPLY=($(compgen -W " + shell_single_quote(join(option.choices)) +
                   " -- \"$cur\")); return";
        case ValueKind::file:
            return "COMPREPLY=($(compgen -f -- \"$cur\")); return";
        default:
            return "COMPREPLY=(); return";
        }
    });
    out << "    esac\n"
        << "    case \"$path\" in\n";
    for (const auto& node : nodes) {
        std::vector<std::string> words = child_names(node);
        words.insert(words.end(), node.positional_values.begin(), node.positional_values.end());
        words.insert(words.end(), node.long_options.begin(), node.long_options.end());
        out << "        " << shell_single_quote(node.path) << ") COMPREPLY=($(compgen -W "
            << shell_single_quote(join(words)) << " -- \"$cur\"))";
        if (node.path == "ingest") {
            out << "; [[ \"$cur\" != -* ]] && COMPREPLY+=($(compgen -f -- \"$cur\"))";
        }
        out << " ;;\n";
    }
    out << "    esac\n"
        << "}\n"
        << "complete -F _analytics analytics\n";
    return out.str();
}

std::string zsh_script(const CLI::App& root) {
    std::ostringstream out;
    out << "#compdef analytics\n"
        << "# zsh completion for analytics. Generated by 'analytics completions zsh'; do not "
           "edit.\n"
        << "_analytics() {\n"
        << "    local path=\"\" i\n"
        << "    for ((i = 2; i < CURRENT; i++)); do\n"
        << "        case \"$path|${words[i]}\" in\n";
    const auto nodes = all_nodes(root);
    emit_path_cases(out, nodes);
    out << "        esac\n"
        << "    done\n"
        << "    case \"$path|${words[CURRENT-1]}\" in\n";
    emit_value_cases(out, nodes, [](const OptionInfo& option) -> std::string {
        switch (option.kind) {
        case ValueKind::choice:
            return "compadd -- " + join(option.choices) + "; return";
        case ValueKind::file:
            return "_files; return";
        default:
            return "_message -e value " + shell_single_quote(option.description) + "; return";
        }
    });
    out << "    esac\n"
        << "    case \"$path\" in\n";
    for (const auto& node : nodes) {
        out << "        " << shell_single_quote(node.path) << ")\n";
        if (!node.children.empty()) {
            out << "            local -a commands=(\n";
            for (const CLI::App* c : node.children) {
                out << "                "
                    << shell_single_quote(c->get_name() + ":" + c->get_description()) << "\n";
            }
            out << "            )\n"
                << "            [[ \"${words[CURRENT]}\" != -* ]] && { _describe command commands; "
                   "return; }\n";
        }
        if (!node.positional_values.empty()) {
            out << "            [[ \"${words[CURRENT]}\" != -* ]] && { compadd -- "
                << join(node.positional_values) << "; return; }\n";
        }
        out << "            compadd -- " << join(node.long_options);
        if (node.path == "ingest") {
            out << "; _files";
        }
        out << " ;;\n";
    }
    out << "    esac\n"
        << "}\n"
        << "_analytics \"$@\"\n";
    return out.str();
}

std::string fish_script(const CLI::App& root) {
    std::ostringstream out;
    out << "# fish completion for analytics. Generated by 'analytics completions fish'; do not "
           "edit.\n"
        << "complete -c analytics -f\n";
    const auto nodes = all_nodes(root);
    std::vector<std::string> top = child_names(nodes.front());
    for (const auto& node : nodes) {
        std::string condition;
        if (node.path.empty()) {
            condition = "not __fish_seen_subcommand_from " + join(top);
        } else {
            const auto space = node.path.find(' ');
            condition = "__fish_seen_subcommand_from " + node.path.substr(0, space);
            if (space != std::string::npos) {
                condition += "; and __fish_seen_subcommand_from " + node.path.substr(space + 1);
            } else if (!node.children.empty()) {
                condition += "; and not __fish_seen_subcommand_from " + join(child_names(node));
            }
        }
        for (const CLI::App* c : node.children) {
            out << "complete -c analytics -n " << shell_single_quote(condition) << " -a "
                << c->get_name() << " -d " << shell_single_quote(c->get_description()) << "\n";
        }
        if (!node.positional_values.empty()) {
            out << "complete -c analytics -n " << shell_single_quote(condition) << " -a "
                << shell_single_quote(join(node.positional_values)) << "\n";
        }
        for (const auto& option : node.options) {
            out << "complete -c analytics -n " << shell_single_quote(condition);
            for (const auto& name : option.names) {
                out << (name.compare(0, 2, "--") == 0 ? " -l " + name.substr(2)
                                                      : " -s " + name.substr(1));
            }
            switch (option.kind) {
            case ValueKind::none:
                break;
            case ValueKind::choice:
                out << " -x -a " << shell_single_quote(join(option.choices));
                break;
            case ValueKind::file:
                out << " -r -F";
                break;
            case ValueKind::other:
                out << " -x";
                break;
            }
            out << " -d " << shell_single_quote(option.description) << "\n";
        }
        if (node.path == "ingest") {
            out << "complete -c analytics -n " << shell_single_quote(condition) << " -F\n";
        }
    }
    return out.str();
}

} // namespace

void CompletionsCommand::add_options(CLI::App& app) {
    add_choice_option(app, "shell", m_shell, {"bash", "zsh", "fish"}, "Shell")->required();
    m_root = &app;
    while (m_root->get_parent() != nullptr) {
        m_root = m_root->get_parent();
    }
}

int CompletionsCommand::run(Context& context) {
    if (m_shell == "bash") {
        context.out << bash_script(*m_root);
    } else if (m_shell == "zsh") {
        context.out << zsh_script(*m_root);
    } else {
        context.out << fish_script(*m_root);
    }
    return 0;
}

} // namespace analytics::app
