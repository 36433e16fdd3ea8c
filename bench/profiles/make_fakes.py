#!/usr/bin/env python3
"""Writes WireMock mappings for a name with N repositories on GitHub and on Bitbucket, every answer delayed."""
import json, os, sys

out, name, repos, delay, gh_port, bb_port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
gh_base, bb_base = f"http://127.0.0.1:{gh_port}", f"http://127.0.0.1:{bb_port}"


def write(folder, index, mapping):
    path = os.path.join(out, folder, "mappings")
    os.makedirs(path, exist_ok=True)
    mapping["response"]["fixedDelayMilliseconds"] = delay
    with open(os.path.join(path, f"{index:04d}.json"), "w") as f:
        json.dump(mapping, f)


def response(body, headers=None):
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    return {"status": 200, "headers": h, "body": json.dumps(body)}


pages = (repos + 99) // 100
# GitHub: account, repository pages linked by `link`, starred count
write("github", 0, {"request": {"method": "GET", "urlPath": f"/users/{name}"},
                    "response": response({"login": name, "type": "User", "public_repos": repos, "followers": 1234,
                                          "following": 5}, {"ETag": 'W/"user-v1"'})})
for page in range(1, pages + 1):
    items = [{"name": f"gh{i}", "fork": i % 7 == 0, "stargazers_count": i % 13, "forks_count": 1,
              "open_issues_count": i % 3, "size": 100 + i, "language": ["Python", "Go", None, "Rust"][i % 4],
              "topics": [f"topic{i % 9}", "bench"], "commits_url": f"{gh_base}/repos/{name}/gh{i}/commits{{/sha}}"}
             for i in range((page - 1) * 100, min(repos, page * 100))]
    headers = {"ETag": f'W/"page-{page}"'}
    if page < pages:
        link = f"{gh_base}/users/{name}/repos?per_page=100&type=owner&page="
        headers["Link"] = f'<{link}{page + 1}>; rel="next", <{link}{pages}>; rel="last"'
    query = {"per_page": {"equalTo": "100"}}
    query["page"] = {"absent": True} if page == 1 else {"equalTo": str(page)}
    write("github", page, {"request": {"method": "GET", "urlPath": f"/users/{name}/repos", "queryParameters": query},
                           "response": response(items, headers)})
starred = f"{gh_base}/users/{name}/starred?per_page=1&page="
write("github", 900, {"request": {"method": "GET", "urlPath": f"/users/{name}/starred"},
                      "response": response([{"id": 1}], {"Link": f'<{starred}2>; rel="next", <{starred}321>; rel="last"'})})

# Bitbucket: repository pages linked by `next`, one watchers answer per repository
for page in range(1, pages + 1):
    values = [{"slug": f"bb{i}", "name": f"bb{i}", "is_private": False, "language": ["python", "go", "", "java"][i % 4],
               "size": 2048 * i, **({"parent": {"full_name": "x/y"}} if i % 5 == 0 else {}),
               "links": {"watchers": {"href": f"{bb_base}/repositories/{name}/bb{i}/watchers"}}}
              for i in range((page - 1) * 100, min(repos, page * 100))]
    body = {"pagelen": 100, "page": page, "size": repos, "values": values}
    if page < pages:
        body["next"] = f"{bb_base}/repositories/{name}?pagelen=100&page={page + 1}"
    query = {"pagelen": {"equalTo": "100"}}
    query["page"] = {"absent": True} if page == 1 else {"equalTo": str(page)}
    write("bitbucket", page, {"request": {"method": "GET", "urlPath": f"/repositories/{name}", "queryParameters": query},
                              "response": response(body)})
write("bitbucket", 900, {"request": {"method": "GET", "urlPathPattern": f"/repositories/{name}/[^/]+/watchers"},
                         "response": response({"pagelen": 100, "size": 3, "page": 1, "values": [{}, {}, {}]})})
